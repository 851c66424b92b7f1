package org.sltk.cli;

import ai.djl.Device;
import org.sltk.util.Engines;
import picocli.CommandLine.Option;

/** Option groups that several verbs share, as picocli mixins. */
final class Common {

    private Common() {}

    /** {@code --device cpu|gpu|gpu:N|auto}. */
    static final class DeviceOption {
        @Option(
                names = "--device",
                defaultValue = "auto",
                paramLabel = "DEV",
                description = "cpu, gpu, gpu:N or auto (a GPU where DJL sees one, else cpu). Default: ${DEFAULT-VALUE}.")
        String device;

        Device device() {
            return Engines.device(device);
        }
    }

    /** {@code --seed S}. */
    static final class SeedOption {
        @Option(
                names = "--seed",
                defaultValue = "1",
                paramLabel = "S",
                description = "Seed of sltk's counter-based generator. Default: ${DEFAULT-VALUE}.")
        long seed;
    }

    /** {@code --stacktrace}: print the stack trace of an error. */
    static final class DebugOption {
        @Option(names = "--stacktrace", description = "Print the stack trace of an error.")
        boolean stacktrace;
    }
}
