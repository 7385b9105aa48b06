/// The dashboard's Commands pages, part of `app.js` (see ``DashboardScript``): the commands to Stripe's API
/// (`#/commands`, filtered by state and paged) and one command with its request and every attempt
/// (`#/commands/<id>`), with a Retry button for a dead one. Built with the script's one element builder, `h`.
enum DashboardCommandsScript {
    /// The script's text, placed after the other pages' and before the routing starts.
    static let javaScript = #"""
        // ---- Commands to Stripe ----

        const COMMAND_STATES = ['pending', 'delivering', 'delivered', 'dead'];
        const COMMAND_FILTERS = [
          ['state', 'State', null],
          ['type', 'Type', 'payment-requested'],
          ['id', 'CloudEvent id', 'the Idempotency-Key'],
          ['subject', 'Order', 'ord_…'],
          ['stripe_object', 'Stripe object', 'pi_… or re_…'],
          ['since', 'Since', '2h or 2026-12-05T07:00:00Z'],
          ['until', 'Until', '30m or RFC 3339'],
        ];

        /** A link to a command's page, for an id that is an integer (anything else is only shown). */
        function commandLink(id) {
          const safe = deliveryID(id);
          if (safe === null) return h('span', { text: show(id) });
          return h('a', { href: '#/commands/' + safe, text: String(safe) });
        }

        /** The form's amount in the currency's smallest unit, as Stripe takes it; a refund without one is of the rest. */
        function amountText(command) {
          if (!Number.isSafeInteger(command.amount)) return command.kind === 'refund-requested' ? 'the rest' : null;
          return number(command.amount) + (typeof command.currency === 'string' ? ' ' + command.currency : '');
        }

        /** The object Stripe's answer named, and under it its status. */
        function stripeObjectCell(object) {
          if (!object || typeof object !== 'object') return h('span', { class: 'muted', text: '—' });
          return h('span', { class: 'type-cell' }, h('code', { class: 'id', text: show(object.id) }),
            object.status ? h('span', { class: 'catalog', text: String(object.status) }) : null);
        }

        async function commandsPage(token, params) {
          document.title = 'Commands · Hookgate';
          const names = COMMAND_FILTERS.map(([name]) => name);
          const results = h('div', { class: 'results' }, h('p', { class: 'muted loading', text: 'Loading…' }));
          append(main, [h('div', { class: 'page-head' }, h('h1', { text: 'Commands' }),
            h('span', { class: 'muted', text: 'payments and refunds sent to Stripe, newest first' })),
          filterForm('/commands', params, names, COMMAND_FILTERS, COMMAND_STATES), results]);
          const query = filterQuery(params, names);
          query.set('limit', String(PAGE_SIZE));
          if (params.get('before')) query.set('before', params.get('before'));
          const data = await api('/commands?' + query.toString());
          if (!current(token)) return;
          const commands = Array.isArray(data.commands) ? data.commands : [];
          clear(results);
          if (commands.length === 0) {
            results.appendChild(h('p', { class: 'empty', text: 'No command matches.' }));
          } else {
            results.appendChild(table(
              ['Id', 'Received', 'Type', 'Order', 'Amount', 'State', 'Attempts', 'Stripe', 'CloudEvent id', 'Last error'],
              commands.map((command) => ({
                className: 'row-' + (COMMAND_STATES.includes(command.state) ? command.state : 'unknown'),
                cells: [
                  commandLink(command.id), shortTime(command.received_at), h('span', { class: 'type', text: show(command.kind) }),
                  command.order_id ?? command.subject, amountText(command), stateBadge(command.state),
                  show(command.attempts), stripeObjectCell(command.stripe_object), copyable(command.command_id),
                  h('span', { class: 'error-text', text: show(command.last_error) }),
                ],
              })),
              'commands',
            ));
          }
          results.appendChild(pager('/commands', params, data.next));
        }

        async function commandPage(token, id) {
          document.title = 'Command ' + id + ' · Hookgate';
          const command = await api('/commands/' + id);
          if (!current(token)) return;
          const request = command.request && typeof command.request === 'object' ? command.request : {};
          const form = Array.isArray(request.form) ? request.form : [];
          const attempts = Array.isArray(command.attempt_log) ? command.attempt_log : [];
          let retryButton = null;
          if (command.state === 'dead') {
            retryButton = h('button', { type: 'button', id: 'retry', text: 'Retry' });
            retryButton.addEventListener('click', () => retryCommand(token, id));
          }
          append(main, [
            h('p', { class: 'crumbs' }, h('a', { href: '#/commands', text: 'Commands' }), ' / ', String(id)),
            h('div', { class: 'page-head' }, h('h1', {}, 'Command ', String(id)), stateBadge(command.state),
              h('div', { class: 'actions' }, retryButton)),
            h('div', { class: 'columns' },
              section('Command', facts([
                ['CloudEvent id', copyable(command.command_id)],
                ['type', command.kind],
                ['source', command.source],
                ['order', command.order_id ?? command.subject],
                ['amount', amountText(command)],
                ['received', time(command.received_at)],
              ])),
              section('Progress', facts([
                ['state', stateBadge(command.state)],
                ['attempts', command.attempts],
                ['next attempt', time(command.next_attempt_at)],
                ['last status', command.last_status],
                ['last error', command.last_error],
                ['Stripe object', stripeObjectCell(command.stripe_object)],
                ['updated', time(command.updated_at)],
              ])),
            ),
            section('Request to Stripe',
              h('p', {}, h('code', { class: 'request-line', text: show(request.method) + ' ' + show(request.path) })),
              facts([['Idempotency-Key', copyable(request.idempotency_key)]]),
              h('h3', { text: 'Form, as sent on every attempt' }),
              form.length === 0 ? h('p', { class: 'muted', text: 'No parameter.' })
                : facts(form.map((parameter) => [show(parameter.name), h('code', { text: show(parameter.value) })]))),
            section('Attempts', commandAttempts(attempts)),
            section('CloudEvent as received', h('pre', { class: 'code', text: typeof command.event === 'string'
              ? command.event : JSON.stringify(command.event, null, 2) })),
          ]);
        }

        function commandAttempts(attempts) {
          if (attempts.length === 0) return h('p', { class: 'muted', text: 'No attempt yet.' });
          return h('ol', { class: 'timeline' }, attempts.map((attempt) => {
            const response = attempt.response === null || attempt.response === undefined ? null
              : typeof attempt.response === 'string' ? attempt.response : JSON.stringify(attempt.response, null, 2);
            return h('li', { class: 'attempt' },
              h('div', { class: 'attempt-head' },
                h('strong', { text: 'Attempt ' + show(attempt.number) }),
                statusBadge(attempt.status),
                attempt.idempotent_replayed === true
                  ? h('span', { class: 'badge', title: "Stripe's saved answer to this Idempotency-Key", text: 'replayed' })
                  : null,
                h('span', { class: 'muted', text: time(attempt.started_at) }),
                h('span', { class: 'muted', text: milliseconds(attempt.duration_ms) })),
              attempt.request_id ? h('p', { class: 'muted' }, 'Request-Id ', h('code', { text: String(attempt.request_id) }))
                : null,
              attempt.error ? h('p', { class: 'error-text', text: String(attempt.error) }) : null,
              response === null ? null : h('pre', { class: 'code response', text: response }));
          }));
        }

        /** Asks to confirm, then makes a dead command due again and draws the page again with the answer. */
        async function retryCommand(token, id) {
          const question = 'Retry command ' + id + '? Stripe gets the same request with the same Idempotency-Key.';
          if (!window.confirm(question)) return;
          try {
            await api('/commands/' + id + '/retry', {});
            if (!current(token)) return;
            flash = { text: 'Command ' + id + ' re-queued: the gateway sends it again.', kind: 'success' };
            render();
          } catch (error) {
            if (current(token)) showNotice(explain(error));
          }
        }
        """#
}
