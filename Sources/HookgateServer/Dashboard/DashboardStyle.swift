/// The dashboard's style sheet (`GET /assets/app.css`), with a one-column layout for phones.
enum DashboardStyle {
    /// The text served, byte for byte.
    static let css = #"""
        /* The Hookgate dashboard: system fonts only, nothing fetched from elsewhere. */
        :root {
          --ink: #1d2433;
          --muted: #5d6679;
          --line: #d9dde5;
          --paper: #f5f6f8;
          --panel: #ffffff;
          --accent: #1f3a5f;
          --link: #1f5fae;
          --ok: #1d7a46;
          --ok-bg: #e3f4ea;
          --warn: #8a5a00;
          --warn-bg: #fdf1d8;
          --bad: #b3261e;
          --bad-bg: #fbe6e4;
          --info-bg: #e6eef9;
          --received: #5b8bd0;
          --delivered: #2e9e62;
          --mono: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
        }

        * { box-sizing: border-box; }

        html { -webkit-text-size-adjust: 100%; }

        body {
          margin: 0;
          font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          color: var(--ink);
          background: var(--paper);
        }

        a { color: var(--link); }

        code, pre, .id { font-family: var(--mono); font-size: 12.5px; }

        h1 { font-size: 22px; margin: 0; }
        h2 { font-size: 15px; margin: 0 0 10px; }
        h3 { font-size: 12px; margin: 16px 0 2px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.05em; }

        .top {
          display: flex;
          align-items: center;
          gap: 24px;
          padding: 0 24px;
          background: var(--accent);
          color: #fff;
          min-height: 52px;
          flex-wrap: wrap;
        }

        .brand { color: #fff; font-weight: 700; font-size: 17px; text-decoration: none; letter-spacing: 0.02em; }

        .tabs { display: flex; gap: 4px; flex-wrap: wrap; }

        .tabs a {
          color: #d5e0f0;
          text-decoration: none;
          padding: 15px 12px 13px;
          border-bottom: 3px solid transparent;
        }

        .tabs a:hover { color: #fff; }
        .tabs a[aria-current="page"] { color: #fff; border-bottom-color: #8fb8f0; font-weight: 600; }

        main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 48px; }

        .notice {
          max-width: 1232px;
          margin: 16px auto 0;
          padding: 10px 14px;
          border-radius: 6px;
          border: 1px solid;
          overflow-wrap: anywhere;
        }

        .notice.error { background: var(--bad-bg); border-color: #efb3ae; color: #7d1a14; }
        .notice.success { background: var(--ok-bg); border-color: #a9dcbc; color: #145532; }
        .notice.info { background: var(--info-bg); border-color: #b7cbea; color: #1b3c6b; }
        main .notice { margin: 0 0 12px; }

        .muted { color: var(--muted); }
        .empty { padding: 24px; text-align: center; color: var(--muted); background: var(--panel); border-radius: 8px; }

        .page-head {
          display: flex;
          align-items: center;
          gap: 12px;
          flex-wrap: wrap;
          margin-bottom: 16px;
        }

        .page-head h2 { margin: 0; }
        .page-head .actions { margin-left: auto; display: flex; gap: 8px; flex-wrap: wrap; }
        .crumbs { margin: 0 0 8px; color: var(--muted); }

        .panel {
          background: var(--panel);
          border: 1px solid var(--line);
          border-radius: 8px;
          padding: 14px 16px;
          margin-bottom: 16px;
          min-width: 0;
        }

        .columns {
          display: grid;
          grid-template-columns: repeat(auto-fit, minmax(280px, 1fr));
          gap: 16px;
          align-items: start;
        }

        .columns > .panel { margin-bottom: 0; }
        .columns { margin-bottom: 16px; }

        button, .button {
          font: inherit;
          display: inline-block;
          padding: 6px 14px;
          border-radius: 6px;
          border: 1px solid var(--accent);
          background: var(--accent);
          color: #fff;
          cursor: pointer;
          text-decoration: none;
          line-height: 1.4;
          white-space: nowrap;
        }

        button:hover, .button:hover { filter: brightness(1.15); }
        button:disabled { opacity: 0.5; cursor: default; filter: none; }
        button.secondary, .button.secondary { background: #fff; color: var(--accent); }

        button.copy {
          padding: 0 6px;
          margin-left: 6px;
          font-size: 11px;
          background: #fff;
          color: var(--muted);
          border-color: var(--line);
          vertical-align: 1px;
        }

        .copyable { white-space: nowrap; }
        .copyable .id { user-select: all; white-space: normal; overflow-wrap: anywhere; }

        .badge {
          display: inline-block;
          padding: 1px 8px;
          border-radius: 10px;
          font-size: 12px;
          font-weight: 600;
          background: #e8eaef;
          color: var(--ink);
          white-space: nowrap;
        }

        .state-delivered, .status-ok { background: var(--ok-bg); color: var(--ok); }
        .state-dead, .status-server, .status-client { background: var(--bad-bg); color: var(--bad); }
        .state-pending, .state-delivering { background: var(--warn-bg); color: var(--warn); }
        .state-skipped, .status-none { background: #eceef2; color: var(--muted); }

        /* Overview */

        .cards {
          display: grid;
          grid-template-columns: repeat(5, 1fr);
          gap: 12px;
          margin-bottom: 16px;
        }

        .card {
          display: flex;
          flex-direction: column;
          padding: 12px 16px;
          border-radius: 8px;
          border: 1px solid var(--line);
          text-decoration: none;
        }

        .card:hover { border-color: var(--accent); }
        .card-count { font-size: 28px; font-weight: 700; line-height: 1.2; }
        .card-label { font-size: 13px; text-transform: uppercase; letter-spacing: 0.05em; }

        .chart { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 4px 8px; }

        .chart-scale {
          display: flex;
          flex-direction: column;
          justify-content: space-between;
          font-size: 11px;
          color: var(--muted);
          text-align: right;
          height: 160px;
        }

        .chart-bars {
          display: flex;
          align-items: flex-end;
          gap: 1px;
          height: 160px;
          border-left: 1px solid var(--line);
          border-bottom: 1px solid var(--line);
        }

        .bar-group { flex: 1 1 0; display: flex; align-items: flex-end; gap: 1px; height: 100%; min-width: 0; }
        .bar-group:hover { background: #eef2f8; }
        .bar { flex: 1 1 0; min-width: 1px; border-radius: 2px 2px 0 0; }
        .bar-received { background: var(--received); }
        .bar-delivered { background: var(--delivered); }

        .chart figcaption { grid-column: 2; display: flex; gap: 16px; flex-wrap: wrap; font-size: 12px; }
        .key::before { content: ""; display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 2px; }
        .key-received::before { background: var(--received); }
        .key-delivered::before { background: var(--delivered); }

        /* Definition lists */

        .facts {
          display: grid;
          grid-template-columns: minmax(90px, max-content) 1fr;
          gap: 6px 16px;
          margin: 0;
        }

        .facts dt { color: var(--muted); }
        .facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }

        /* Filters */

        .filter-box {
          background: var(--panel);
          border: 1px solid var(--line);
          border-radius: 8px;
          padding: 8px 16px;
          margin-bottom: 16px;
        }

        .filter-box summary { cursor: pointer; color: var(--muted); font-weight: 600; padding: 2px 0; }
        .filter-box[open] summary { margin-bottom: 8px; }

        .filters {
          display: grid;
          grid-template-columns: repeat(4, 1fr);
          gap: 10px 12px;
          padding-bottom: 8px;
        }

        .filters label { display: flex; flex-direction: column; gap: 3px; font-size: 12px; color: var(--muted); min-width: 0; }

        .filters input, .filters select {
          font: inherit;
          color: var(--ink);
          padding: 5px 8px;
          border: 1px solid #b9c0cc;
          border-radius: 5px;
          background: #fff;
          width: 100%;
          min-width: 0;
        }

        .filter-actions { grid-column: 1 / -1; display: flex; gap: 8px; }

        /* Tables */

        .table-wrap { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; overflow-x: auto; }
        .panel .table-wrap { border: none; margin-top: 10px; }

        table.list { border-collapse: collapse; width: 100%; }

        table.list th {
          text-align: left;
          font-size: 12px;
          font-weight: 600;
          color: var(--muted);
          padding: 8px 10px;
          border-bottom: 1px solid var(--line);
          white-space: nowrap;
        }

        table.list td { padding: 7px 10px; border-bottom: 1px solid #eceef2; vertical-align: top; overflow-wrap: break-word; }
        table.list tr:last-child td { border-bottom: none; }
        table.list tbody tr:hover { background: #f8f9fb; }
        table.list td:first-child, table.list td:nth-child(2) { white-space: nowrap; }

        table.list td[data-label="Type"] { min-width: 215px; }
        table.list td[data-label="Event id"] { min-width: 220px; }
        table.list td[data-label="Subject"] { min-width: 170px; overflow-wrap: anywhere; }
        table.list td[data-label="Last error"] { min-width: 140px; overflow-wrap: anywhere; }
        .when { display: flex; flex-direction: column; white-space: nowrap; }
        .when .day { color: var(--muted); font-size: 12px; }

        .type { font-family: var(--mono); font-size: 12.5px; overflow-wrap: anywhere; }
        .type-cell { display: flex; flex-direction: column; }
        .catalog { color: var(--muted); font-size: 12px; }
        .error-text { color: var(--bad); overflow-wrap: anywhere; }

        .toolbar { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; margin-bottom: 10px; }
        .check { display: inline-flex; gap: 6px; align-items: center; }

        .pager { display: flex; gap: 8px; justify-content: flex-end; margin-top: 12px; }

        /* One delivery */

        .timeline { list-style: none; margin: 0; padding: 0 0 0 14px; border-left: 2px solid var(--line); }
        .attempt { position: relative; padding: 4px 0 10px 12px; }

        .attempt::before {
          content: "";
          position: absolute;
          left: -21px;
          top: 9px;
          width: 10px;
          height: 10px;
          border-radius: 50%;
          background: var(--accent);
        }

        .attempt-head { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
        .attempt p { margin: 4px 0 0; }

        pre.code {
          margin: 0;
          padding: 12px;
          background: #f3f4f7;
          border: 1px solid var(--line);
          border-radius: 6px;
          overflow: auto;
          max-height: 480px;
          white-space: pre-wrap;
          overflow-wrap: anywhere;
        }

        pre.code.response { max-height: 360px; overflow: auto; }
        .request-line { font-weight: 600; }
        table.commands td[data-label="Type"] { min-width: 0; }
        table.commands td[data-label="Type"] .type { overflow-wrap: normal; }
        table.commands td[data-label="Order"] { min-width: 110px; overflow-wrap: anywhere; }
        table.commands td[data-label="Amount"] { white-space: nowrap; }
        .message + .message { margin-top: 12px; }
        .message p { margin: 0 0 4px; font-size: 12px; }

        .verify { margin-top: 0; }
        .verify.valid { border-color: #a9dcbc; background: var(--ok-bg); }
        .verify.invalid { border-color: #efb3ae; background: var(--bad-bg); }
        .findings { margin: 10px 0 0; padding-left: 20px; }

        /* Narrow screens (phones): one column, tables as cards. */

        @media (max-width: 760px) {
          .top { padding: 0 12px; gap: 4px 12px; }
          .brand { padding-top: 10px; }
          .tabs { gap: 0 2px; max-width: 100%; }
          .tabs a { padding: 9px 7px 8px; white-space: nowrap; }
          main { padding: 14px 12px 40px; }
          .notice { margin: 12px 12px 0; }
          .cards { grid-template-columns: repeat(2, 1fr); }
          .cards .card:last-child { grid-column: 1 / -1; }
          .filter-box { padding: 8px 12px; }
          .filters { grid-template-columns: 1fr 1fr; }
          .columns { grid-template-columns: 1fr; }
          .page-head .actions { margin-left: 0; width: 100%; }

          table.list thead { display: none; }
          table.list, table.list tbody, table.list tr, table.list td { display: block; width: 100%; }
          table.list tr { padding: 8px 12px; border-bottom: 1px solid var(--line); }
          table.list tr:last-child { border-bottom: none; }
          table.list td { display: flex; gap: 10px; padding: 2px 0; border: none; white-space: normal; }
          table.list td:first-child, table.list td:nth-child(2) { white-space: normal; }
          table.list td::before { content: attr(data-label); flex: 0 0 96px; color: var(--muted); font-size: 12px; }
          table.list td[data-label=""]::before { display: none; }
          table.list td > * { min-width: 0; }
          table.list td[data-label] { min-width: 0; }
          .when { flex-direction: row; gap: 6px; }
        }
        """#
}
