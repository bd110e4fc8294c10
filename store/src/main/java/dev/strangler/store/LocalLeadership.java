package dev.strangler.store;

/** Leadership on H2: one process per file, so the process holding the store holds every role. */
final class LocalLeadership implements Leadership {

    private volatile boolean held;
    private volatile boolean closed;

    @Override
    public boolean tryHold() {
        held = !closed;
        return held;
    }

    @Override
    public boolean held() {
        return held;
    }

    @Override
    public void close() {
        closed = true;
        held = false;
    }
}
