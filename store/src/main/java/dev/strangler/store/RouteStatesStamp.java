package dev.strangler.store;

/**
 * A summary of the {@code route_state} table that moves with every committed change of it
 * ({@link StateStore#routeStatesStamp()} says why): equal stamps mean the same rows, so a reader
 * that holds every state as of one stamp need not read them again while the stamp stays.
 *
 * @param routes      how many routes have a state
 * @param versionSum  the sum of their versions
 */
public record RouteStatesStamp(long routes, long versionSum) {}
