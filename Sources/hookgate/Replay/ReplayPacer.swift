/// `--rate`: spaces replays so that no more than `perSecond` start in any second, on average from the first.
struct ReplayPacer {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let interval: Duration?

    /// A pacer from now; without a rate it never waits.
    init(perSecond: Int?) {
        self.start = self.clock.now
        self.interval = perSecond.map { .seconds(1) / $0 }
    }

    /// Waits until replay number `index` (from 0) may start (or the task is cancelled).
    func wait(for index: Int) async {
        guard let interval else { return }
        try? await self.clock.sleep(until: self.start + interval * index)
    }
}
