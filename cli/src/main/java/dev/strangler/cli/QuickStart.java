package dev.strangler.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Runs the commands that talk to a gateway without building picocli's model, when their arguments
 * are plain; everything else is left to picocli ({@link Main#commandLine}).
 *
 * <p>Why: picocli ships as Java 5 class files, which the JVM can neither put in a CDS/AOT cache
 * linked nor verify with the fast verifier, and building its model of a command walks every
 * annotation through reflection. That is most of the 0.3 s of CPU a {@code strangler status} took.
 * This binder reads the same {@link Option}, {@link Parameters} and {@link Mixin} annotations (one
 * declaration of each option, for both paths) and handles the common case only: {@code --name value},
 * {@code --name=value}, flags, positional parameters, picocli converters and default values.
 * {@code --help}, an option it does not know, a missing required value or a failed conversion make
 * it step aside, so that picocli prints its own usage and error messages, with suggestions.
 */
final class QuickStart {
    /** The commands this path may run; the rest always go through picocli. */
    private static final Map<String, Class<? extends Callable<Integer>>> COMMANDS = Map.of(
            "status", StatusCommand.class, "history", HistoryCommand.class, "diff", DiffCommand.class,
            "promote", PromoteCommand.class, "rollback", RollbackCommand.class, "percent", PercentCommand.class,
            "pause", AutomationCommand.Pause.class, "resume", AutomationCommand.Resume.class);

    /** What picocli's annotations hold when no default value is declared. */
    private static final String NO_DEFAULT = "__no_default_value__";

    private QuickStart() {}

    /** The exit code, or empty when picocli should handle these arguments. */
    static Optional<Integer> run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            for (String line : new Main.Version().getVersion()) out.println(line);
            out.flush();
            return Optional.of(Main.OK);
        }
        if (args.length == 0 || !COMMANDS.containsKey(args[0])) return Optional.empty();
        Callable<Integer> command;
        try {
            command = COMMANDS.get(args[0]).getDeclaredConstructor().newInstance();
            if (!bind(command, args, out, err)) return Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty(); // a conversion failed or the class changed shape: picocli says what is wrong
        }
        try {
            return Optional.of(command.call());
        } catch (Exception e) {
            return Optional.of(Main.exitCodeOf(e, err));
        }
    }

    /** One settable option of the command or of one of its mixins. */
    private record Target(Object owner, Field field, Option option) {}

    /** Sets the command's fields from the arguments; false when picocli should take over. */
    private static boolean bind(Object command, String[] args, PrintWriter out, PrintWriter err) throws ReflectiveOperationException {
        Map<String, Target> options = new LinkedHashMap<>();
        List<Target> required = new ArrayList<>();
        List<Field> positional = new ArrayList<>();
        collect(command, options, required, positional, out, err);
        positional.sort((a, b) -> Integer.compare(index(a), index(b)));

        List<String> values = new ArrayList<>();
        List<Target> seen = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.equals("-")) {
                values.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            Target t = options.get(name);
            if (t == null || t.option().usageHelp() || t.option().versionHelp() || seen.contains(t)) return false;
            if (t.field().getType() == boolean.class) {
                if (eq > 0) return false;
                t.field().setBoolean(t.owner(), true);
            } else {
                String value;
                if (eq > 0) value = arg.substring(eq + 1);
                else if (i + 1 < args.length) value = args[++i];
                else return false;
                set(t.owner(), t.field(), t.option().converter(), value);
            }
            seen.add(t);
        }
        for (Target t : required) if (!seen.contains(t)) return false;

        int next = 0;
        for (Field f : positional) {
            Parameters p = f.getAnnotation(Parameters.class);
            boolean optional = p.arity().startsWith("0");
            if (next >= values.size()) {
                if (optional) continue;
                return false;
            }
            set(command, f, p.converter(), values.get(next++));
        }
        return next == values.size();
    }

    private static void collect(Object owner, Map<String, Target> options, List<Target> required, List<Field> positional, PrintWriter out,
                                PrintWriter err)
            throws ReflectiveOperationException {
        for (Class<?> c = owner.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                Option o = f.getAnnotation(Option.class);
                if (o != null) {
                    f.setAccessible(true);
                    Target t = new Target(owner, f, o);
                    for (String name : o.names()) options.put(name, t);
                    if (o.required()) required.add(t);
                    if (!o.defaultValue().equals(NO_DEFAULT) && !o.defaultValue().contains("${")) {
                        set(owner, f, o.converter(), o.defaultValue());
                    }
                } else if (f.getAnnotation(Parameters.class) != null) {
                    f.setAccessible(true);
                    positional.add(f);
                } else if (f.getAnnotation(Mixin.class) != null) {
                    f.setAccessible(true);
                    Object mixin = f.getType().getDeclaredConstructor().newInstance();
                    if (mixin instanceof AdminOptions admin) {
                        admin.out = out;
                        admin.err = err;
                    }
                    f.set(owner, mixin);
                    collect(mixin, options, required, positional, out, err);
                }
            }
        }
    }

    private static int index(Field f) {
        String index = f.getAnnotation(Parameters.class).index();
        return index.isEmpty() ? 0 : Integer.parseInt(index.replaceAll("\\D.*", ""));
    }

    /** Converts as picocli would: the declared converter, else by the field's type. */
    private static void set(Object owner, Field f, Class<? extends ITypeConverter<?>>[] converters, String value) throws ReflectiveOperationException {
        Object converted;
        if (converters.length > 0) {
            try {
                converted = converters[0].getDeclaredConstructor().newInstance().convert(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalArgumentException(e);
            }
        } else {
            Class<?> type = f.getType();
            if (type == String.class) converted = value;
            else if (type == int.class || type == Integer.class) converted = Integer.valueOf(value);
            else if (type == double.class || type == Double.class) converted = Double.valueOf(value);
            else if (type == Path.class) converted = Path.of(value);
            else throw new IllegalArgumentException("no quick conversion to " + type);
        }
        f.set(owner, converted);
    }

    /** For tests: whether these arguments take the quick path (and so skip picocli). */
    static boolean handles(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) return true;
        if (args.length == 0 || !COMMANDS.containsKey(args[0])) return false;
        try {
            Callable<Integer> command = COMMANDS.get(args[0]).getDeclaredConstructor().newInstance();
            PrintWriter nowhere = new PrintWriter(java.io.Writer.nullWriter());
            return bind(command, args, nowhere, nowhere);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

}
