package dev.strangler.bench.scg;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Cloud Gateway with nothing but what its configuration declares: the routes come from
 * the YAML file that the bench script generates and passes with
 * {@code --spring.config.additional-location}; the access log is Reactor Netty's, switched on with
 * {@code -Dreactor.netty.http.server.accessLogEnabled=true} and written by logback-spring.xml.
 */
@SpringBootApplication
public class ScgBench {
    public static void main(String[] args) {
        SpringApplication.run(ScgBench.class, args);
    }
}
