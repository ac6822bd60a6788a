package io.universepush.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Benchmarks of a Universe Push cluster on this machine: {@code storm} and {@code failover}. */
@Command(
    name = "push-bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks of a Universe Push cluster: reconnect storms and connector failover.",
    subcommands = {StormCommand.class, FailoverCommand.class, StormClient.class})
public final class PushBench implements Runnable {
  public static void main(String[] args) {
    System.exit(new CommandLine(new PushBench()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
