import HookgateStore

extension ReplayCommand {
    /// Replays each record with `replay` (which says whether it succeeded), paced by `--rate`, with a progress
    /// bar on a terminal.
    func paced(_ records: [DeliveryRecord], _ replay: (DeliveryRecord) async -> Bool) async {
        let pacer = ReplayPacer(perSecond: self.rate)
        var progress = ReplayProgress(total: records.count)
        var failed = 0
        for (index, record) in records.enumerated() {
            await pacer.wait(for: index)
            if !(await replay(record)) { failed += 1 }
            progress.update(done: index + 1, failed: failed)
        }
        progress.finish()
    }
}
