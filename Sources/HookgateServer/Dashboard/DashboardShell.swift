/// The dashboard's HTML shell (`GET /`): the header, the navigation, and the places `app.js` fills.
enum DashboardShell {
    /// The text served, byte for byte.
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Hookgate</title>
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
        <link rel="stylesheet" href="/assets/app.css">
        <script src="/assets/app.js" defer></script>
        </head>
        <body>
        <header class="top">
        <a class="brand" href="#/">Hookgate</a>
        <nav class="tabs">
        <a href="#/" data-route="overview">Overview</a>
        <a href="#/deliveries" data-route="deliveries">Deliveries</a>
        <a href="#/dead" data-route="dead">Dead letters</a>
        <a href="#/commands" data-route="commands">Commands</a>
        <a href="#/endpoints" data-route="endpoints">Endpoints</a>
        </nav>
        </header>
        <div id="notice" class="notice" role="alert" hidden></div>
        <main id="main"><p class="muted">Loading…</p></main>
        <noscript><p class="notice">The dashboard needs JavaScript.</p></noscript>
        </body>
        </html>
        """#
}
