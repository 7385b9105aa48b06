/// The dashboard's script (`GET /assets/app.js`): hash routing, the pages and their API calls.
enum DashboardScript {
    /// The text served, byte for byte: the pages, the Commands pages (``DashboardCommandsScript``), then the start.
    static let javaScript = pages + "\n\n" + DashboardCommandsScript.javaScript + "\n\n" + start

    /// Routing starts once every page's functions and constants are defined.
    private static let start = """
        window.addEventListener('hashchange', render);
        render();

        """

    private static let pages = #"""
        // The Hookgate dashboard: plain JavaScript, no framework, no external code. Every stored value (ids, types,
        // headers, bodies) is attacker-influenced: nodes are built with createElement and filled with textContent only,
        // and attribute values are computed by the page (integer ids, fixed names), never taken from stored strings.
        'use strict';

        const STATES = ['pending', 'delivering', 'delivered', 'skipped', 'dead'];
        const OVERVIEW_REFRESH_MS = 5000;
        const PAGE_SIZE = 50;
        /** The most deliveries one replay re-queues (the API's limit). */
        const MAXIMUM_REPLAY = 1000;
        const BODY_PREVIEW_BYTES = 256 * 1024;

        // ---- DOM building ----

        /**
         * An element with attributes (`class`, `text` and plain names) and children (nodes or text). No event handler,
         * style or source attribute, and a link only to a place of the page (`#/...`) or the gateway (`/deliveries/...`).
         */
        function h(tag, attributes, ...children) {
          const node = document.createElement(tag);
          for (const [name, value] of Object.entries(attributes || {})) {
            if (value === undefined || value === null || value === false) continue;
            if (name === 'class') node.className = value;
            else if (name === 'text') node.textContent = String(value);
            else if (/^on|^style$|^src/i.test(name)) throw new Error('the page sets no ' + name + ' attribute');
            else if (name === 'href' && !/^(#|\/[a-z])/.test(String(value))) throw new Error('not a link of the page');
            else node.setAttribute(name, value === true ? '' : String(value));
          }
          append(node, children);
          return node;
        }

        function append(node, children) {
          for (const child of [children].flat(Infinity)) {
            if (child === undefined || child === null || child === false) continue;
            node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
          }
          return node;
        }

        function clear(node) {
          while (node.firstChild) node.removeChild(node.firstChild);
          return node;
        }

        /** Text for a value that may be null: an em dash when absent. */
        function show(value) {
          return value === undefined || value === null || value === '' ? '—' : String(value);
        }

        /** An RFC 3339 time as `2026-12-05 07:44:25.123Z`. */
        function time(value) {
          return typeof value === 'string' ? value.replace('T', ' ') : show(value);
        }

        /** An RFC 3339 time to the second, the time of day over the day: `07:44:25Z` / `2026-12-05`. */
        function shortTime(value) {
          if (typeof value !== 'string') return show(value);
          const [day, clock] = time(value).replace(/\.\d+Z$/, 'Z').split(' ');
          return h('span', { class: 'when', title: value },
            h('span', { text: clock || '' }), h('span', { class: 'day', text: day }));
        }

        /** The provider's event type, and under it the catalog event it became. */
        function typeCell(delivery) {
          return h('span', { class: 'type-cell' }, h('span', { class: 'type', text: show(delivery.type) }),
            delivery.catalog_type ? h('span', { class: 'catalog', text: '→ ' + delivery.catalog_type }) : null);
        }

        function milliseconds(value) {
          if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
          if (value >= 10000) return (value / 1000).toFixed(1) + ' s';
          return (value >= 100 ? Math.round(value) : Math.round(value * 10) / 10) + ' ms';
        }

        /** A count with thousands separators; null for anything else. */
        function number(value) {
          return Number.isSafeInteger(value) ? value.toLocaleString('en-US') : null;
        }

        /** How many deliveries a figure was measured over. */
        function measured(count) {
          return Number.isSafeInteger(count) ? plural(count, 'delivery', 'deliveries') : null;
        }

        function plural(count, one, many) {
          return count + ' ' + (count === 1 ? one : many);
        }

        /** A delivery id the page may put in a URL: a non-negative safe integer, or null. */
        function deliveryID(value) {
          return Number.isSafeInteger(value) && value >= 0 ? value : null;
        }

        function stateBadge(state) {
          const known = STATES.includes(state) ? state : 'unknown';
          return h('span', { class: 'badge state-' + known, text: show(state) });
        }

        function statusBadge(status) {
          if (!Number.isInteger(status)) return h('span', { class: 'badge status-none', text: 'no answer' });
          const family = status >= 200 && status < 300 ? 'ok' : status >= 500 ? 'server' : 'client';
          return h('span', { class: 'badge status-' + family, text: String(status) });
        }

        /** A button that copies `text` (or, without clipboard access, selects the node before it). */
        function copyButton(text) {
          const button = h('button', { type: 'button', class: 'copy', title: 'Copy the whole id', text: 'copy' });
          button.addEventListener('click', async (event) => {
            event.preventDefault();
            event.stopPropagation();
            try {
              await navigator.clipboard.writeText(String(text));
              button.textContent = 'copied';
            } catch {
              const range = document.createRange();
              range.selectNodeContents(button.previousSibling);
              window.getSelection().removeAllRanges();
              window.getSelection().addRange(range);
              button.textContent = 'selected';
            }
            setTimeout(() => { button.textContent = 'copy'; }, 1500);
          });
          return button;
        }

        /** The whole of an id as selectable text, with a button that copies it. */
        function copyable(text) {
          const value = h('code', { class: 'id', text: show(text) });
          if (typeof text !== 'string' && typeof text !== 'number') return value;
          return h('span', { class: 'copyable' }, value, copyButton(text));
        }

        /** A definition list of [label, value] pairs; a value is text or a node. */
        function facts(pairs) {
          return h('dl', { class: 'facts' }, pairs.map(([label, value]) => [
            h('dt', { text: label }),
            h('dd', {}, value instanceof Node ? value : show(value)),
          ]));
        }

        function section(title, ...children) {
          return h('section', { class: 'panel' }, h('h2', { text: title }), children);
        }

        /** A table whose cells carry their column's name, so that narrow screens show each row as a card. */
        function table(columns, rows, className) {
          return h('div', { class: 'table-wrap' }, h('table', { class: 'list ' + (className || '') },
            h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col', text: column })))),
            h('tbody', {}, rows.map((row) => h('tr', { class: row.className }, row.cells.map((cell, index) =>
              h('td', { 'data-label': columns[index] }, cell instanceof Node ? cell : show(cell)))))),
          ));
        }

        // ---- Messages ----

        const notice = document.getElementById('notice');

        function showNotice(text, kind) {
          clear(notice).textContent = text;
          notice.className = 'notice ' + (kind || 'error');
          notice.hidden = false;
        }

        function hideNotice() {
          notice.hidden = true;
          clear(notice);
        }

        // ---- The JSON API ----

        class APIError extends Error {
          constructor(status, code, message) {
            super(message);
            this.status = status;
            this.code = code;
          }
        }

        /** What to tell the operator about a failed call. */
        function explain(error) {
          if (!(error instanceof APIError)) return 'The page failed: ' + error.message;
          if (error.status === 401) return 'Not signed in (401): ' + error.message;
          if (error.status === 403) {
            return 'Refused (403, ' + error.code + '): reload the page and try again. ' + error.message;
          }
          if (error.status === 0) return error.message;
          return 'The gateway answered ' + error.status + ' (' + error.code + '): ' + error.message;
        }

        function csrfToken() {
          for (const part of document.cookie.split(';')) {
            const [name, ...rest] = part.trim().split('=');
            if (name === 'hookgate_csrf') return decodeURIComponent(rest.join('='));
          }
          return '';
        }

        /** The APIError for an answer that is not 2xx: its JSON `error` and `message` when it has them. */
        function failure(response, text) {
          let json = null;
          try { json = JSON.parse(text); } catch { /* not JSON: the text is the message */ }
          const code = json && typeof json.error === 'string' ? json.error : 'http_' + response.status;
          const message = json && typeof json.message === 'string' ? json.message : text.slice(0, 300);
          return new APIError(response.status, code, message);
        }

        /** Fetches `path` from the gateway; throws an APIError when it does not answer or answers an error. */
        async function request(path, init) {
          let response;
          try {
            response = await fetch(path, { credentials: 'same-origin', cache: 'no-store', ...init });
          } catch (error) {
            throw new APIError(0, 'unreachable', 'The gateway did not answer (' + error.message + '). Is it running?');
          }
          if (!response.ok) throw failure(response, await response.text());
          return response;
        }

        /** Calls the JSON API: GET, or POST with a JSON body (and the CSRF token). */
        async function api(path, body) {
          const headers = { accept: 'application/json' };
          const init = { method: 'GET', headers };
          if (body !== undefined) {
            init.method = 'POST';
            headers['content-type'] = 'application/json';
            headers['x-csrf-token'] = csrfToken();
            init.body = JSON.stringify(body);
          }
          const response = await request(path, init);
          const text = await response.text();
          try {
            const json = JSON.parse(text);
            if (json !== null && typeof json === 'object') return json;
          } catch { /* reported below */ }
          throw new APIError(response.status, 'not_json', 'the answer is not a JSON object: ' + text.slice(0, 100));
        }

        /** The raw body of a delivery as text (at most BODY_PREVIEW_BYTES of it) and its size. */
        async function fetchBody(id) {
          const response = await request('/deliveries/' + id + '/body', {});
          const bytes = new Uint8Array(await response.arrayBuffer());
          const shown = bytes.subarray(0, BODY_PREVIEW_BYTES);
          const text = new TextDecoder('utf-8', { fatal: false }).decode(shown);
          return { text, size: bytes.length, cut: shown.length < bytes.length };
        }

        // ---- Routing by the URL's hash ----

        const main = document.getElementById('main');
        let generation = 0;
        let refreshTimer = null;
        /** A message for the next page drawn (the answer to what the last one did). */
        let flash = null;

        function currentRoute() {
          const raw = location.hash.replace(/^#/, '') || '/';
          const question = raw.indexOf('?');
          const path = question < 0 ? raw : raw.slice(0, question);
          const params = new URLSearchParams(question < 0 ? '' : raw.slice(question + 1));
          return { path: path.replace(/\/+$/, '') || '/', params };
        }

        /** A hash for a page and its parameters (only non-empty ones). */
        function hashFor(path, params) {
          const query = new URLSearchParams();
          for (const [name, value] of Object.entries(params || {})) {
            if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
          }
          const text = query.toString();
          return '#' + path + (text ? '?' + text : '');
        }

        function go(path, params) {
          location.hash = hashFor(path, params);
        }

        /** True while `token` belongs to the page on screen (an answer for a page left meanwhile is dropped). */
        function current(token) {
          return token === generation;
        }

        function render() {
          generation += 1;
          const token = generation;
          if (refreshTimer !== null) {
            clearInterval(refreshTimer);
            refreshTimer = null;
          }
          if (flash) showNotice(flash.text, flash.kind);
          else hideNotice();
          flash = null;
          const route = currentRoute();
          let name = 'overview';
          const match = /^\/deliveries\/(\d{1,15})$/.exec(route.path);
          const commandMatch = /^\/commands\/(\d{1,15})$/.exec(route.path);
          if (match) name = 'delivery';
          else if (commandMatch) name = 'command';
          else if (route.path === '/deliveries') name = 'deliveries';
          else if (route.path === '/commands') name = 'commands';
          else if (route.path === '/dead') name = 'dead';
          else if (route.path === '/endpoints') name = 'endpoints';
          else if (route.path !== '/') name = 'missing';
          for (const link of document.querySelectorAll('nav.tabs a')) {
            const active = link.dataset.route === ({ delivery: 'deliveries', command: 'commands' }[name] ?? name);
            if (active) link.setAttribute('aria-current', 'page');
            else link.removeAttribute('aria-current');
          }
          document.body.dataset.page = name;
          clear(main);
          const page = {
            overview: () => overviewPage(token),
            deliveries: () => deliveriesPage(token, route.params),
            delivery: () => deliveryPage(token, Number(match[1])),
            dead: () => deadPage(token, route.params),
            endpoints: () => endpointsPage(token),
            commands: () => commandsPage(token, route.params),
            command: () => commandPage(token, Number(commandMatch[1])),
            missing: () => append(main, [h('h1', { text: 'No such page' }),
              h('p', {}, h('a', { href: '#/', text: 'Overview' }))]),
          }[name];
          Promise.resolve(page()).catch((error) => {
            if (!current(token)) return;
            showNotice(explain(error));
            for (const placeholder of main.querySelectorAll('.loading')) placeholder.textContent = 'Not loaded: see above.';
          });
        }

        // ---- Overview ----

        async function overviewPage(token) {
          document.title = 'Overview · Hookgate';
          const updated = h('span', { class: 'muted', text: 'loading…' });
          const body = h('div', { class: 'overview' });
          append(main, [h('div', { class: 'page-head' }, h('h1', { text: 'Overview' }), updated), body]);
          const load = async () => {
            let data;
            try {
              data = await api('/overview?minutes=60');
            } catch (error) {
              if (current(token)) {
                showNotice(explain(error));
                updated.textContent = 'not updated';
              }
              return;
            }
            if (!current(token)) return;
            hideNotice();
            clear(body);
            append(body, overviewSections(data));
            updated.textContent = 'updated ' + new Date().toISOString().slice(11, 19) + ' UTC · refreshes every '
              + OVERVIEW_REFRESH_MS / 1000 + ' s';
          };
          await load();
          if (current(token)) refreshTimer = setInterval(load, OVERVIEW_REFRESH_MS);
        }

        function overviewSections(data) {
          const states = data.states && typeof data.states === 'object' ? data.states : {};
          const cards = STATES.map((state) => {
            const count = Number.isSafeInteger(states[state]) ? states[state] : 0;
            const link = hashFor('/deliveries', { state });
            return h('a', { class: 'card state-card state-' + state, href: link, 'data-state': state },
              h('span', { class: 'card-count', text: number(count) }),
              h('span', { class: 'card-label', text: state }));
          });
          const latency = data.latency_ms && typeof data.latency_ms === 'object' ? data.latency_ms : null;
          return [
            h('div', { class: 'cards' }, cards),
            section('Received and delivered per minute, last ' + plural(Number(data.minutes) || 60, 'minute', 'minutes'),
              perMinuteChart(data)),
            h('div', { class: 'columns' },
              section('Latency, received → delivered', latency === null
                ? h('p', { class: 'muted', text: 'Nothing delivered in this window.' })
                : facts([
                  ['p50', milliseconds(latency.p50)],
                  ['p99', milliseconds(latency.p99)],
                  ['max', milliseconds(latency.max)],
                  ['measured', measured(latency.sample)],
                ])),
              section('Rejected requests since start', counts(data.rejections, 'None.', 'rejections')),
              section('Accepted requests since start', counts(data.accepted, 'None yet.', 'accepted')),
              section('Upstream', upstreamFacts(data.upstream)),
            ),
          ];
        }

        /** A name → count object as a list, the largest first. */
        function counts(object, empty, id) {
          const entries = object && typeof object === 'object' ? Object.entries(object) : [];
          entries.sort((a, b) => (Number(b[1]) || 0) - (Number(a[1]) || 0));
          if (entries.length === 0) return h('p', { class: 'muted', text: empty });
          const list = facts(entries.map(([name, count]) => [name, number(count)]));
          list.id = id;
          return list;
        }

        function upstreamFacts(upstream) {
          if (!upstream || typeof upstream !== 'object') return h('p', { class: 'muted', text: 'Not reported.' });
          const up = upstream.status === 'up';
          return h('div', { class: 'upstream' },
            h('span', { class: 'badge ' + (up ? 'status-ok' : 'status-server'), id: 'upstream-status',
              text: up ? 'up' : show(upstream.status) }),
            h('p', { class: 'muted', text: up
              ? 'The payment system accepts connections.'
              : 'The payment system refuses connections; deliveries wait for it.' }));
        }

        /** Bars for each minute: received and delivered side by side, heights relative to the busiest minute. */
        function perMinuteChart(data) {
          const received = Array.isArray(data.received_per_minute) ? data.received_per_minute : [];
          const delivered = Array.isArray(data.delivered_per_minute) ? data.delivered_per_minute : [];
          const minutes = Math.max(received.length, delivered.length);
          if (minutes === 0) return h('p', { class: 'muted', text: 'No data.' });
          const count = (value) => (Number.isSafeInteger(value) && value > 0 ? value : 0);
          const highest = Math.max(1, ...received.map(count), ...delivered.map(count));
          const start = Date.parse(data.start);
          const minuteLabel = (index) => (Number.isNaN(start) ? ''
            : new Date(start + index * 60000).toISOString().slice(11, 16));
          const bars = [];
          for (let index = 0; index < minutes; index += 1) {
            const title = minuteLabel(index) + ' UTC: ' + count(received[index]) + ' received, '
              + count(delivered[index]) + ' delivered';
            const group = h('div', { class: 'bar-group', title });
            for (const [series, values] of [['received', received], ['delivered', delivered]]) {
              const bar = h('div', { class: 'bar bar-' + series });
              bar.style.height = (count(values[index]) / highest * 100).toFixed(2) + '%';
              group.appendChild(bar);
            }
            bars.push(group);
          }
          const total = (values) => values.reduce((sum, value) => sum + count(value), 0).toLocaleString('en-US');
          return h('figure', { class: 'chart' },
            h('div', { class: 'chart-scale' }, h('span', { text: String(highest) }), h('span', { text: '0' })),
            h('div', { class: 'chart-bars', role: 'img', 'aria-label': 'received and delivered per minute' }, bars),
            h('figcaption', {},
              h('span', { class: 'key key-received', id: 'received-total', text: 'received ' + total(received) }),
              h('span', { class: 'key key-delivered', id: 'delivered-total', text: 'delivered ' + total(delivered) }),
              h('span', { class: 'muted', text: minuteLabel(0) + '–' + minuteLabel(minutes - 1) + ' UTC' })));
        }

        // ---- Deliveries list ----

        const FILTERS = [
          ['endpoint', 'Endpoint', 'stripe'],
          ['state', 'State', null],
          ['type', 'Type', 'payment_intent.succeeded'],
          ['catalog_type', 'Catalog type', 'payment-succeeded'],
          ['event', 'Event id', 'evt_…'],
          ['subject', 'Subject', 'pi_…'],
          ['since', 'Since', '2h or 2026-12-05T07:00:00Z'],
          ['until', 'Until', '30m or RFC 3339'],
        ];

        /** The filter form over `filters` (of them, `names`); submitting it goes to `path` with the filled fields. */
        function filterForm(path, params, names, filters = FILTERS, states = STATES) {
          const form = h('form', { class: 'filters', autocomplete: 'off' });
          for (const [name, label, placeholder] of filters.filter(([name]) => names.includes(name))) {
            let input;
            if (name === 'state') {
              input = h('select', { name, id: 'filter-' + name },
                h('option', { value: '', text: 'any' }), states.map((state) => h('option', { value: state, text: state })));
              input.value = states.includes(params.get(name)) ? params.get(name) : '';
            } else {
              input = h('input', { name, id: 'filter-' + name, type: 'text', placeholder, spellcheck: 'false' });
              input.value = params.get(name) || '';
            }
            form.appendChild(h('label', { for: 'filter-' + name }, h('span', { text: label }), input));
          }
          const reset = h('button', { type: 'button', class: 'secondary', text: 'Clear' });
          reset.addEventListener('click', () => go(path, {}));
          form.appendChild(h('div', { class: 'filter-actions' }, h('button', { type: 'submit', text: 'Filter' }), reset));
          form.addEventListener('submit', (event) => {
            event.preventDefault();
            const values = {};
            for (const name of names) values[name] = form.elements[name].value.trim();
            go(path, values);
          });
          // Open on a wide screen; on a phone only when a filter is set, so that the list comes first.
          const active = names.filter((name) => params.get(name)).length;
          const box = h('details', { class: 'filter-box' },
            h('summary', { text: active === 0 ? 'Filters' : 'Filters (' + active + ' set)' }), form);
          box.open = active > 0 || !window.matchMedia('(max-width: 760px)').matches;
          return box;
        }

        function filterQuery(params, names) {
          const query = new URLSearchParams();
          for (const name of names) {
            const value = params.get(name);
            if (value) query.set(name, value);
          }
          return query;
        }

        /** Older/newer links: the API's `next` cursor goes in the hash as `before`; newest clears it. */
        function pager(path, params, next) {
          const nav = h('nav', { class: 'pager' });
          if (params.get('before')) {
            const newest = Object.fromEntries(params);
            delete newest.before;
            nav.appendChild(h('a', { class: 'button secondary', href: hashFor(path, newest), text: '← Newest' }));
          }
          if (typeof next === 'string' && next !== '') {
            const older = Object.fromEntries(params);
            older.before = next;
            const link = hashFor(path, older);
            nav.appendChild(h('a', { class: 'button secondary', href: link, rel: 'next', text: 'Older →' }));
          }
          return nav;
        }

        /** A link to a delivery's page, for an id that is an integer (anything else is only shown). */
        function deliveryLink(id) {
          const safe = deliveryID(id);
          if (safe === null) return h('span', { text: show(id) });
          return h('a', { href: '#/deliveries/' + safe, text: String(safe) });
        }

        async function deliveriesPage(token, params) {
          document.title = 'Deliveries · Hookgate';
          const names = FILTERS.map(([name]) => name);
          const results = h('div', { class: 'results' }, h('p', { class: 'muted loading', text: 'Loading…' }));
          append(main, [h('div', { class: 'page-head' }, h('h1', { text: 'Deliveries' }),
            h('span', { class: 'muted', text: 'newest first' })), filterForm('/deliveries', params, names), results]);
          const query = filterQuery(params, names);
          query.set('limit', String(PAGE_SIZE));
          if (params.get('before')) query.set('before', params.get('before'));
          const data = await api('/deliveries?' + query.toString());
          if (!current(token)) return;
          const deliveries = Array.isArray(data.deliveries) ? data.deliveries : [];
          clear(results);
          if (deliveries.length === 0) {
            results.appendChild(h('p', { class: 'empty', text: 'No delivery matches.' }));
          } else {
            results.appendChild(table(
              ['Id', 'Received', 'Endpoint', 'Type', 'Subject', 'State', 'Attempts', 'Event id', 'Last error'],
              deliveries.map((delivery) => ({
                className: 'row-' + (STATES.includes(delivery.state) ? delivery.state : 'unknown'),
                cells: [
                  h('span', { class: 'copyable' }, deliveryLink(delivery.id), copyButton(delivery.id)),
                  shortTime(delivery.received_at), delivery.endpoint, typeCell(delivery), delivery.subject,
                  stateBadge(delivery.state), show(delivery.attempts), copyable(delivery.event_id),
                  h('span', { class: 'error-text', text: show(delivery.last_error ?? delivery.skip_reason) }),
                ],
              })),
              'deliveries',
            ));
          }
          results.appendChild(pager('/deliveries', params, data.next));
        }

        // ---- One delivery ----

        async function deliveryPage(token, id) {
          document.title = 'Delivery ' + id + ' · Hookgate';
          const delivery = await api('/deliveries/' + id);
          if (!current(token)) return;
          const headers = delivery.headers && typeof delivery.headers === 'object' ? delivery.headers : {};
          const verifyResult = h('div', { class: 'verify-result', 'aria-live': 'polite' });
          const verifyButton = h('button', { type: 'button', id: 'verify', text: 'Verify now' });
          verifyButton.addEventListener('click', () => verifyNow(token, id, verifyButton, verifyResult));
          const replayButton = h('button', { type: 'button', id: 'replay', class: 'secondary', text: 'Replay' });
          replayButton.addEventListener('click', () => replay(token, [id], 'Replay 1 delivery (' + id + ')?'));
          const attempts = Array.isArray(delivery.attempt_log) ? delivery.attempt_log : [];
          const messages = Array.isArray(delivery.messages) ? delivery.messages : [];
          const bodyView = h('pre', { class: 'code body', text: 'Loading…' });
          append(main, [
            h('p', { class: 'crumbs' }, h('a', { href: '#/deliveries', text: 'Deliveries' }), ' / ', String(id)),
            h('div', { class: 'page-head' }, h('h1', {}, 'Delivery ', String(id)), stateBadge(delivery.state),
              h('div', { class: 'actions' }, verifyButton, replayButton,
                h('a', { class: 'button secondary', href: '/deliveries/' + id + '/body', download: 'delivery-' + id + '.json',
                  text: 'Download body' }))),
            verifyResult,
            h('div', { class: 'columns' },
              section('Event', facts([
                ['event id', copyable(delivery.event_id)],
                ['type', delivery.type],
                ['catalog type', delivery.catalog_type],
                ['subject', delivery.subject],
                ['endpoint', delivery.endpoint],
                ['created', time(delivery.event_created_at)],
              ])),
              section('Delivery', facts([
                ['state', stateBadge(delivery.state)],
                ['attempts', delivery.attempts],
                ['replays', delivery.replays],
                ['received', time(delivery.received_at)],
                ['updated', time(delivery.updated_at)],
                ['next attempt', time(delivery.next_attempt_at)],
                ['last error', delivery.last_error],
                ['skip reason', delivery.skip_reason],
              ])),
              section('Request', facts([
                ['origin', delivery.origin === 'reconciled'
                  ? "reconciled (from Stripe's Events API, not signed)" : delivery.origin],
                ['key label', delivery.key_label],
                ['peer', delivery.peer],
                ['content type', headers.content_type],
                ['user agent', headers.user_agent],
                ['request id', headers.request_id],
                ['body', Number.isSafeInteger(delivery.body_bytes) ? plural(delivery.body_bytes, 'byte', 'bytes') : null],
                ['ordering key', delivery.ordering_key],
                ['prepared', time(delivery.prepared_at)],
              ])),
            ),
            section('Attempts', attemptTimeline(attempts)),
            section('Normalized events', messages.length === 0
              ? h('p', { class: 'muted', text: 'None (not prepared yet, or skipped).' })
              : messages.map((message) => h('div', { class: 'message' },
                h('p', { class: 'muted', text: show(message.content_type) }),
                h('pre', { class: 'code', text: JSON.stringify(message.event, null, 2) })))),
            section('Raw body', h('p', { class: 'muted' }, 'Pretty-printed for reading when it is JSON; ',
              h('a', { href: '/deliveries/' + id + '/body', download: 'delivery-' + id + '.json', text: 'download' }),
              ' for the exact bytes.'), bodyView),
          ]);
          try {
            const body = await fetchBody(id);
            if (!current(token)) return;
            let text = body.text;
            if (!body.cut) {
              try { text = JSON.stringify(JSON.parse(body.text), null, 2); } catch { /* not JSON: shown as it is */ }
            }
            const rest = body.cut ? '\n… (' + plural(body.size, 'byte', 'bytes') + '; download for all)' : '';
            bodyView.textContent = text + rest;
          } catch (error) {
            if (current(token)) bodyView.textContent = explain(error);
          }
        }

        function attemptTimeline(attempts) {
          if (attempts.length === 0) return h('p', { class: 'muted', text: 'No attempt yet.' });
          return h('ol', { class: 'timeline' }, attempts.map((attempt) => h('li', { class: 'attempt' },
            h('div', { class: 'attempt-head' },
              h('strong', { text: 'Attempt ' + show(attempt.number) }),
              Number(attempt.replay) > 0 ? h('span', { class: 'badge', text: 'replay ' + attempt.replay }) : null,
              statusBadge(attempt.upstream_status),
              h('span', { class: 'muted', text: time(attempt.started_at) }),
              h('span', { class: 'muted', text: milliseconds(attempt.duration_ms) })),
            attempt.error ? h('p', { class: 'error-text', text: String(attempt.error) }) : null)));
        }

        async function verifyNow(token, id, button, output) {
          button.disabled = true;
          clear(output).appendChild(h('p', { class: 'muted', text: 'Verifying…' }));
          try {
            const result = await api('/deliveries/' + id + '/verify', {});
            if (!current(token)) return;
            clear(output).appendChild(verifyReport(result));
          } catch (error) {
            if (current(token)) clear(output).appendChild(h('p', { class: 'notice error', text: explain(error) }));
          } finally {
            button.disabled = false;
          }
        }

        function verifyReport(result) {
          const valid = result.valid === true;
          const pairs = [];
          if (valid) {
            pairs.push(['key', result.key ?? result.key_label]);
            if (Number.isSafeInteger(result.timestamp)) {
              pairs.push(['signed at', time(new Date(result.timestamp * 1000).toISOString())]);
            }
          } else {
            pairs.push(['error', result.error], ['reason', result.message]);
          }
          for (const [name, value] of Object.entries(result)) {
            if (['valid', 'key', 'key_label', 'timestamp', 'error', 'message', 'findings'].includes(name)) continue;
            const text = value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
            pairs.push([name.replace(/_/g, ' '), text]);
          }
          const findings = Array.isArray(result.findings) ? result.findings : [];
          return h('div', { class: 'panel verify ' + (valid ? 'valid' : 'invalid') },
            h('h2', { text: valid ? 'Valid signature' : 'Invalid signature' }),
            facts(pairs),
            findings.length === 0 ? null : h('ul', { class: 'findings' }, findings.map((finding) => h('li', {},
              h('strong', { text: show(finding.cause) }), ' (' + (finding.confirmed ? 'confirmed' : 'likely') + '): ',
              show(finding.explanation)))));
        }

        /** Asks to confirm, then re-queues `ids` (or all that `filter` matches) and draws the page again with the answer. */
        async function replay(token, ids, question, filter) {
          if (!window.confirm(question)) return;
          try {
            const answer = await api('/replay', filter ? { filter } : { ids });
            if (!current(token)) return;
            const count = (list) => (Array.isArray(list) ? list.length : 0);
            const parts = [plural(count(answer.requeued), 'delivery', 'deliveries') + ' re-queued'];
            if (count(answer.busy) > 0) parts.push(count(answer.busy) + ' busy (being delivered now)');
            if (count(answer.not_found) > 0) parts.push(count(answer.not_found) + ' not found');
            // The page is drawn again from the store; the answer stays on screen above it.
            flash = { text: parts.join(', ') + '.', kind: 'success' };
            render();
          } catch (error) {
            if (current(token)) showNotice(explain(error));
          }
        }

        // ---- Dead letters ----

        async function deadPage(token, params) {
          document.title = 'Dead letters · Hookgate';
          const names = ['endpoint', 'type', 'catalog_type', 'event', 'subject', 'since', 'until'];
          const results = h('div', { class: 'results' }, h('p', { class: 'muted loading', text: 'Loading…' }));
          append(main, [h('div', { class: 'page-head' }, h('h1', { text: 'Dead letters' }),
            h('span', { class: 'muted', text: 'deliveries that gave up; replay sends them again' })),
          filterForm('/dead', params, names), results]);
          const query = filterQuery(params, names);
          query.set('state', 'dead');
          const listQuery = new URLSearchParams(query);
          listQuery.set('limit', String(PAGE_SIZE));
          if (params.get('before')) listQuery.set('before', params.get('before'));
          const data = await api('/deliveries?' + listQuery.toString());
          if (!current(token)) return;
          const deliveries = (Array.isArray(data.deliveries) ? data.deliveries : []).filter((d) => deliveryID(d.id) !== null);
          clear(results);
          const selected = new Set();
          const replaySelected = h('button', { type: 'button', id: 'replay-selected', disabled: true,
            text: 'Replay selected (0)' });
          const replayAll = h('button', { type: 'button', id: 'replay-all', class: 'secondary',
            text: 'Replay all matching…' });
          const updateSelection = () => {
            replaySelected.textContent = 'Replay selected (' + selected.size + ')';
            replaySelected.disabled = selected.size === 0;
          };
          const selectAll = h('input', { type: 'checkbox', id: 'select-all', 'aria-label': 'Select every row on this page' });
          const boxes = deliveries.map((delivery) => {
            const box = h('input', { type: 'checkbox', class: 'select-row', 'data-id': delivery.id,
              'aria-label': 'Select delivery ' + delivery.id });
            box.addEventListener('change', () => {
              if (box.checked) selected.add(delivery.id); else selected.delete(delivery.id);
              selectAll.checked = selected.size === deliveries.length;
              updateSelection();
            });
            return box;
          });
          selectAll.addEventListener('change', () => {
            boxes.forEach((box, index) => {
              box.checked = selectAll.checked;
              if (box.checked) selected.add(deliveries[index].id); else selected.delete(deliveries[index].id);
            });
            updateSelection();
          });
          replaySelected.addEventListener('click', () => {
            const ids = [...selected];
            replay(token, ids, 'Replay ' + plural(ids.length, 'selected dead delivery', 'selected dead deliveries')
              + ' (' + ids.join(', ') + ')?');
          });
          replayAll.addEventListener('click', async () => {
            let count;
            try {
              count = (await api('/deliveries/count?' + query.toString())).count;
            } catch (error) {
              showNotice(explain(error));
              return;
            }
            if (!Number.isSafeInteger(count) || count === 0) {
              showNotice('No dead delivery matches the filter.', 'info');
              return;
            }
            if (count > MAXIMUM_REPLAY) {
              showNotice(number(count) + ' dead deliveries match; at most ' + number(MAXIMUM_REPLAY)
                + ' are replayed at once: narrow the filter (e.g. since and until).', 'info');
              return;
            }
            const filter = Object.fromEntries(query);
            const question = 'Replay all ' + plural(count, 'dead delivery', 'dead deliveries') + ' matching the filter?';
            replay(token, [], question, filter);
          });
          if (deliveries.length === 0) {
            results.appendChild(h('p', { class: 'empty', text: 'No dead delivery matches.' }));
          } else {
            results.appendChild(h('div', { class: 'toolbar' },
              h('label', { class: 'check' }, selectAll, ' all on this page'), replaySelected, replayAll));
            results.appendChild(table(
              ['', 'Id', 'Received', 'Endpoint', 'Type', 'Subject', 'Attempts', 'Last error', ''],
              deliveries.map((delivery, index) => {
                const one = h('button', { type: 'button', class: 'secondary replay-one', 'data-id': delivery.id,
                  text: 'Replay' });
                one.addEventListener('click', () => replay(token, [delivery.id],
                  'Replay 1 dead delivery (' + delivery.id + ')?'));
                return {
                  className: 'row-dead',
                  cells: [boxes[index], deliveryLink(delivery.id), shortTime(delivery.received_at), delivery.endpoint,
                    typeCell(delivery), delivery.subject, show(delivery.attempts),
                    h('span', { class: 'error-text', text: show(delivery.last_error) }), one],
                };
              }),
              'dead',
            ));
          }
          results.appendChild(pager('/dead', params, data.next));
        }

        // ---- Endpoints ----

        async function endpointsPage(token) {
          document.title = 'Endpoints · Hookgate';
          const data = await api('/endpoints');
          if (!current(token)) return;
          const endpoints = Array.isArray(data.endpoints) ? data.endpoints : [];
          append(main, h('div', { class: 'page-head' }, h('h1', { text: 'Endpoints' }),
            h('span', { class: 'muted', text: 'secrets are never shown, only their labels' })));
          if (endpoints.length === 0) {
            main.appendChild(h('p', { class: 'empty', text: 'No endpoint is configured.' }));
            return;
          }
          for (const endpoint of endpoints) {
            const keys = Array.isArray(endpoint.keys) ? endpoint.keys : [];
            const recent = Array.isArray(endpoint.recent) ? endpoint.recent : [];
            const list = h('button', { type: 'button', class: 'secondary', text: 'Its deliveries' });
            list.addEventListener('click', () => go('/deliveries', { endpoint: String(endpoint.name) }));
            main.appendChild(h('section', { class: 'panel endpoint' },
              h('div', { class: 'page-head' }, h('h2', { text: show(endpoint.name) }), list),
              facts([
                ['path', endpoint.path], ['scheme', endpoint.scheme], ['mode', endpoint.mode], ['forward', endpoint.forward],
              ]),
              h('h3', { text: 'Keys' }),
              keys.length === 0 ? h('p', { class: 'muted', text: 'No key.' }) : table(
                ['Key label', 'Expires', 'Verifies now'],
                keys.map((key) => ({
                  cells: [key.label, key.expires_at ? time(key.expires_at) : 'never',
                    h('span', { class: 'badge ' + (key.active ? 'status-ok' : 'status-none'),
                      text: key.active ? 'yes' : 'no' })],
                })),
                'keys',
              ),
              h('h3', { text: 'Keys that verified recent deliveries' }),
              recent.length === 0 ? h('p', { class: 'muted', text: 'No delivery in the last 24 hours.' }) : table(
                ['Key label', 'Deliveries', 'Latest'],
                recent.map((usage) => ({
                  cells: [usage.label ?? '(none stored)', number(usage.count), time(usage.last_received_at)],
                })),
                'recent',
              )));
          }
        }

        """#
}
