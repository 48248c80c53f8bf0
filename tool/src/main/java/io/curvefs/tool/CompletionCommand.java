package io.curvefs.tool;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the bash/zsh completion script, generated from the command tree so it never goes stale. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash/zsh completion script for curvefs.",
            "Use: source <(curvefs completion), or save it as /etc/bash_completion.d/curvefs."})
public final class CompletionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        System.out.print(AutoComplete.bash("curvefs", spec.parent().commandLine()));
    }
}
