package dev.strangler.store;

import java.io.IOException;

/** Run in a child JVM by {@link H2FileLockTest}: holds an H2 file store open until its standard input closes. */
public final class H2FileHolder {

    private H2FileHolder() {
    }

    public static void main(String[] args) throws IOException {
        try (StateStore store = StateStore.open(args[0])) {
            store.routeStates();
            System.out.println("open");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the file until the parent closes our input
            }
        }
    }
}
