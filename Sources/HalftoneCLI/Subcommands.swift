import ArgumentParser

/// Every subcommand of `halftone`, in the order `--help` lists them.
let registeredSubcommands: [any ParsableCommand.Type] = [
  PrefetchCommand.self,
  ThumbnailCommand.self,
  BenchCommand.self,
]
