import ArgumentParser

/// Every subcommand of `halftone`, in the order `--help` lists them.
let registeredSubcommands: [any ParsableCommand.Type] = [
  PrefetchCommand.self,
  PushCommand.self,
  ServeCommand.self,
  ThumbnailCommand.self,
  LookupCommand.self,
  ExplainCommand.self,
  StatsCommand.self,
  VerifyCommand.self,
  GcCommand.self,
  SignCommand.self,
  BenchCommand.self,
]
