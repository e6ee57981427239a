import ArgumentParser
import Foundation
import HalftoneCore

/// The `halftone` command: an image asset cache and thumbnailer for article media.
struct HalftoneCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "halftone",
    abstract: "Image asset cache and thumbnailer for article media.",
    discussion: """
      Exit status: 0 on success, 1 when an image (or a check) failed, 2 on bad usage.
      Errors are printed on stderr as `halftone: <kind>: <message>`.
      """,
    version: HalftoneVersion.string,
    subcommands: registeredSubcommands
  )
}

/// Entry point: runs the command and maps every outcome onto the documented exit statuses, which
/// ArgumentParser alone would not do (it exits 64 on usage errors).
@main
enum HalftoneMain {
  static func main() async {
    do {
      var command = try HalftoneCommand.parseAsRoot()
      // Before `run` hops onto Swift's thread pool: a thread that has allocated keeps its own
      // malloc arena, so the arena limit only holds if set while the main thread is alone.
      if command is PrefetchCommand { MallocTuning.apply() }
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch let failure as CommandFailure {
      failure.report()
      exit(failure.exitCode)
    } catch let error as any HalftoneError {
      CommandFailure(error).report()
      exit(1)
    } catch let code as ExitCode {
      exit(code.rawValue)
    } catch {
      let message = HalftoneCommand.fullMessage(for: error)
      let code = HalftoneCommand.exitCode(for: error)
      if code == .success {
        print(message)
        exit(0)
      }
      FileHandle.standardError.write(Data((message + "\n").utf8))
      exit(2)
    }
  }
}
