package io.universepush.sdk.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar push-cli.jar listen ...}: a device in a terminal, for trying pushes out. */
@Command(
    name = "push-cli",
    mixinStandardHelpOptions = true,
    version = "push-cli 0.1",
    description = "Universe Push command-line client.",
    subcommands = {ListenCommand.class, CommandLine.HelpCommand.class})
public final class PushCli implements Runnable {

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs a command line with the given output streams and returns its exit code (tests call this). */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new PushCli());
    commandLine.setOut(out);
    commandLine.setErr(err);
    return commandLine.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "a subcommand is required (try: listen)");
  }
}
