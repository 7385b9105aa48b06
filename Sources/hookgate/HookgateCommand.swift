import ArgumentParser

@main
struct HookgateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hookgate")
}
