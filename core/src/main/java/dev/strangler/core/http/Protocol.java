package dev.strangler.core.http;

/** The HTTP versions the gateway accepts from clients; anything else is refused by the HTTP layer. */
public enum Protocol {
    HTTP_1_0, HTTP_1_1, HTTP_2;

    public boolean isHttp1() {
        return this != HTTP_2;
    }
}
