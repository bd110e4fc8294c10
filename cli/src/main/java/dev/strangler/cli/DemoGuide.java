package dev.strangler.cli;

import dev.strangler.examples.DemoMonolith;
import dev.strangler.examples.DemoPostsService;

import java.io.PrintWriter;
import java.util.List;

/** What the demo is running and what to try, with the real ports filled in. */
record DemoGuide(String host, int port, int adminPort, int monolithPort, int postsPort) {
    /** Users whose requests the guide and the check send; the canary splits them between both sides. */
    static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi");

    /** The demo's route as a config file would declare it. */
    static final String YAML = """
            routes:
              - name: posts-read
                match: { methods: [GET], path: /api/posts/** }
                service: posts
                stage: canary
                percent: 50
                sticky: header:X-User-Id
                rewrite: /posts/**""";

    String gateway() {
        return "http://" + host + ":" + port;
    }

    String admin() {
        return "http://" + host + ":" + adminPort;
    }

    void print(PrintWriter out) {
        out.printf("""
                Strangler demo
                  %-14s http://%s:%d   serves /api/users/**, /api/posts/**   (%s: %s)
                  %-14s http://%s:%d   serves /posts/**                      (%s: %s)
                  gateway        %s   in front of both
                  admin          %s   /health, /metrics, /api/routes

                The gateway's one route, as a config file would say it:
                %s

                Try it, and look at the %s header:
                  curl -s -i -H '%s: alice' %s/api/posts/1

                Each user stays on one side; about half of them get the new service:
                  for u in %s; do printf '%%-6s ' $u; curl -s -o /dev/null -D - -H "%s: $u" %s/api/posts/1 | tr -d '\\r' | grep -i '^x-served-by'; done

                Paths no route claims always reach the monolith:
                  curl -s -i %s/api/users/1

                The admin port:
                  curl -s %s/health
                  curl -s %s/metrics | grep '^strangler_proxy_requests'
                  curl -s %s/api/routes

                Move the route yourself (the controller also moves it, on evidence; every move is audited):
                  export STRANGLER_ADMIN=%s
                  ./strangler status
                  ./strangler rollback posts-read --reason "trying a rollback"
                  ./strangler promote posts-read
                  ./strangler history

                """,
                DemoMonolith.SERVED_BY, host, monolithPort, DemoMonolith.SERVED_BY_HEADER, DemoMonolith.SERVED_BY,
                DemoPostsService.SERVED_BY, host, postsPort, DemoMonolith.SERVED_BY_HEADER, DemoPostsService.SERVED_BY,
                gateway(), admin(),
                YAML.indent(2).stripTrailing(),
                DemoMonolith.SERVED_BY_HEADER,
                DemoCommand.STICKY_HEADER, gateway(),
                String.join(" ", USERS), DemoCommand.STICKY_HEADER, gateway(),
                gateway(),
                admin(), admin(), admin(), admin());
    }
}
