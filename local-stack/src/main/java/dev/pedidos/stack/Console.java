package dev.pedidos.stack;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The terminal of the local run: every line of every process, labelled with the process's name like
 * {@code docker compose} does ({@code billing-consumer | ...}), one colour per process when the output
 * is a terminal. This is the launcher's user interface, so it writes to standard output itself.
 */
final class Console implements BiConsumer<String, String> {

    private static final List<String> COLOURS = List.of("36", "33", "32", "35", "34", "96", "93", "92");

    private final PrintStream out;

    private final int labelWidth;

    private final boolean colour;

    private final Map<String, String> colourByName = new ConcurrentHashMap<>();

    /**
     * @param out        where lines go
     * @param labelWidth width the labels are padded to, in characters
     * @param colour     whether to colour labels with ANSI escapes
     */
    Console(PrintStream out, int labelWidth, boolean colour) {
        this.out = out;
        this.labelWidth = labelWidth;
        this.colour = colour;
    }

    /** @return a console on standard output, coloured when that is a terminal */
    static Console standardOutput(int labelWidth) {
        java.io.Console terminal = System.console();
        return new Console(System.out, labelWidth, terminal != null && terminal.isTerminal());
    }

    @Override
    public void accept(String name, String line) {
        String label = String.format("%-" + labelWidth + "s |", name);
        if (colour) {
            String code = colourByName.computeIfAbsent(name, n -> COLOURS.get(colourByName.size() % COLOURS.size()));
            label = "\u001b[" + code + "m" + label + "\u001b[0m";
        }
        synchronized (out) {
            out.println(label + " " + line);
        }
    }
}
