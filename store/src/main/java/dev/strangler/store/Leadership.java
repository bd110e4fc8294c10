package dev.strangler.store;

/**
 * One role (for example the controller) held by at most one process among those sharing a store,
 * so a fleet of gateways runs one controller.
 *
 * <p>On PostgreSQL it is a session advisory lock on a dedicated connection: it lasts exactly as
 * long as that connection, so a process that dies or loses the database loses the role and another
 * can take it. On H2 (one process per file) the process always holds it.
 */
public interface Leadership extends AutoCloseable {

    /**
     * Tries to take the role, or checks that it is still held. Blocks briefly on the database;
     * call it periodically (for example before each controller tick). Never throws.
     *
     * @return true while this process holds the role; false when another does, when the database
     *         is unreachable, or when the connection holding it broke (the next call tries again)
     */
    boolean tryHold();

    /** What the last {@link #tryHold()} found; does not touch the database. */
    boolean held();

    /** Releases the role. */
    @Override
    void close();
}
