package dev.strangler.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code strangler completion bash|zsh}: the shell completion script picocli derives from the
 * commands themselves, so it never falls behind a new command or option. The script is bash's;
 * it starts by loading zsh's bash-compatibility layer when zsh runs it, so one script serves both.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for strangler (commands, options, stages).",
                "bash: source <(./strangler completion bash), or save it under /etc/bash_completion.d/strangler.",
                "zsh:  source <(./strangler completion zsh) in ~/.zshrc."})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("strangler", Main.commandLine()));
        out.flush();
        return Main.OK;
    }
}
