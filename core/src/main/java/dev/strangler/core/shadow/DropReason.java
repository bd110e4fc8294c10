package dev.strangler.core.shadow;

/** Why a request that should have been shadowed was not compared. */
public enum DropReason {
    /** The shadow queue was full: the copy was not sent, to protect the user's request. */
    QUEUE_FULL,
    /** A body was larger than the shadow stage keeps in memory. */
    BODY_TOO_LARGE,
    /** The request was not safe to send twice (a write), so it was not shadowed. */
    WRITE_NOT_SHADOWED,
    /** The service could not be reached or reset the connection. */
    SERVICE_FAILED,
    /** The service did not answer in time. */
    TIMEOUT
}
