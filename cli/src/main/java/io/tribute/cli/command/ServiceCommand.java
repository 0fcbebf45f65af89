package io.tribute.cli.command;

import io.tribute.cli.TributeCli;
import io.tribute.cli.client.ServiceClients;
import io.tribute.cli.output.Output;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that calls the services with the global options of {@code tribute}. */
abstract class ServiceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    TributeCli cli() {
        return (TributeCli) spec.root().userObject();
    }

    ServiceClients clients() {
        return cli().clients();
    }

    Output output() {
        return cli().output();
    }
}
