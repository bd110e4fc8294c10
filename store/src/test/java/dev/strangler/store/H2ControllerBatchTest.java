package dev.strangler.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The controller's batch calls on an embedded H2 file, the default store of a single gateway. */
class H2ControllerBatchTest extends ControllerBatchContract {

    @TempDir
    Path directory;

    @Override
    String url() {
        return "jdbc:h2:file:" + directory.resolve("state");
    }
}
