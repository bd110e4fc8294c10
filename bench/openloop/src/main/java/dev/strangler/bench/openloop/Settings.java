package dev.strangler.bench.openloop;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Command-line settings; every problem is reported at once. */
record Settings(URI url, double rate, double warmupSeconds, double durationSeconds, int connections,
                double maxSendLagMillis, double timeoutSeconds, double primeSeconds, List<Long> targetPids) {

    static final String USAGE = """
            usage: java -jar openloop.jar --url http://127.0.0.1:PORT/PATH --rate REQ_PER_S
                   [--duration 10] [--warmup 5] [--prime 5] [--connections 256]
                   [--max-send-lag-ms 5] [--timeout 10] [--target-pids PID,PID,...]
              --timeout              seconds a request may go without progress, and that the run waits for the
                                     answers still due after the last send (the rest are counted as unanswered)
              --duration / --warmup  seconds measured / run first and not measured
              --prime                at least this many seconds of closed-loop GETs first, then until their rate
                                     stops growing (JIT, connections; at most 60 s), not measured; 0: none (the
                                     warm-up part of the schedule is then the only warm-up, at the constant rate)
              --target-pids          report target_cpu: these processes' CPU time / wall time over the measured
                                     window only (not priming or warm-up)
              --connections          most keep-alive connections used for the constant-rate traffic
              --max-send-lag-ms      fail (exit 2) when the p99 of (actual - intended) send time is above this:
                                     the generator itself fell behind and its figures say nothing of the target
            """;

    static Settings parse(String[] args) {
        URI url = null;
        double rate = 0, warmup = 5, duration = 10, maxLag = 5, timeout = 10, prime = 5;
        int connections = 256;
        List<Long> targetPids = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i];
            if (i + 1 >= args.length) {
                errors.add(key + ": needs a value");
                break;
            }
            String value = args[i + 1];
            try {
                switch (key) {
                    case "--url" -> url = URI.create(value);
                    case "--rate" -> rate = Double.parseDouble(value);
                    case "--warmup" -> warmup = Double.parseDouble(value);
                    case "--duration" -> duration = Double.parseDouble(value);
                    case "--connections" -> connections = Integer.parseInt(value);
                    case "--max-send-lag-ms" -> maxLag = Double.parseDouble(value);
                    case "--timeout" -> timeout = Double.parseDouble(value);
                    case "--prime" -> prime = Double.parseDouble(value);
                    case "--target-pids" -> {
                        for (String pid : value.split("[,\\s]+")) if (!pid.isEmpty()) targetPids.add(Long.parseLong(pid));
                    }
                    default -> errors.add(key + ": unknown option");
                }
            } catch (IllegalArgumentException e) {
                errors.add(key + ": " + e.getMessage());
            }
        }
        if (url == null) errors.add("--url: required");
        else if (!"http".equals(url.getScheme()) || url.getPort() < 0) errors.add("--url: must be http://HOST:PORT/..., was " + url);
        if (!(rate > 0)) errors.add("--rate: must be > 0");
        if (!(duration > 0)) errors.add("--duration: must be > 0");
        if (warmup < 0) errors.add("--warmup: must be >= 0");
        if (connections < 1) errors.add("--connections: must be >= 1");
        if (prime < 0) errors.add("--prime: must be >= 0");
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("\n", errors) + "\n" + USAGE);
        return new Settings(url, rate, warmup, duration, connections, maxLag, timeout, prime, List.copyOf(targetPids));
    }

    String pathAndQuery() {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }
}
