package dev.strangler.gateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The own server's response fields behave as Vert.x's header map does for what the gateway does with them. */
class FlatHeadersTest {

    /** The same edits on Vert.x's map and on ours leave the same lines in the same order. */
    @Test
    void editsLeaveTheSameLinesInTheSameOrderAsVertxsMap() {
        MultiMap vertx = HttpHeaders.headers();
        FlatHeaders flat = new FlatHeaders();
        for (MultiMap m : List.of(vertx, flat)) {
            m.add("Server", "nginx");
            m.add("Set-Cookie", "a=1");
            m.add("Connection", "keep-alive");
            m.add("set-cookie", "b=2");
            m.add("Content-Length", "5");
            m.set("CONNECTION", "close");      // replaces every line of the name, whatever its case, at the end
            m.remove("server");
            m.set("Transfer-Encoding", (String) null); // a null value only removes
        }
        assertThat(lines(flat)).isEqualTo(lines(vertx)).containsExactly("Set-Cookie: a=1", "set-cookie: b=2", "Content-Length: 5",
                "CONNECTION: close");
        assertThat(flat.getAll("SET-COOKIE")).containsExactly("a=1", "b=2");
        assertThat(flat.size()).isEqualTo(vertx.size());
        assertThat(flat.contains("connection", "CLOSE", true)).isTrue();
        assertThat(flat.contains("connection", "CLOSE", false)).isFalse();
        assertThat(flat.get(HttpHeaders.CONTENT_LENGTH)).isEqualTo("5");
    }

    @Test
    void aClearedMapIsEmptyAndTakesLinesAgain() {
        FlatHeaders flat = new FlatHeaders();
        for (int i = 0; i < 40; i++) flat.add("X-" + i, Integer.toString(i)); // past the first array
        flat.clear();
        assertThat(flat.isEmpty()).isTrue();
        flat.add((CharSequence) "A", (Object) "1");
        assertThat(lines(flat)).containsExactly("A: 1");
    }

    private static List<String> lines(MultiMap m) {
        List<String> out = new ArrayList<>();
        m.forEach((name, value) -> out.add(name + ": " + value));
        return out;
    }
}
