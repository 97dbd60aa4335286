package dev.pedidos.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Chromium, headless, driven by Selenium WebDriver through Debian's {@code chromedriver}
 * (packages {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs).
 *
 * <p>Both are looked up on the {@code PATH} (also {@code chromium-browser} and
 * {@code google-chrome}, and a GitHub runner's {@code $CHROMEWEBDRIVER}) and handed to Selenium
 * explicitly, so Selenium Manager never runs and nothing is downloaded. Where either is missing the
 * test is skipped with a message that says so. Runs as root: the sandbox needs user namespaces
 * that a root process in a container does not get, hence {@code --no-sandbox}.
 */
final class HeadlessChromium {

    private HeadlessChromium() {
    }

    /**
     * Starts a browser, or skips the calling test when there is none.
     *
     * @param profile a new directory for the browser's profile
     * @param width   window width in CSS pixels
     * @param height  window height
     * @return the driver; {@code quit()} it
     */
    static ChromeDriver start(Path profile, int width, int height) {
        Optional<Path> browser = onPath("chromium", "chromium-browser", "google-chrome");
        Optional<Path> driver = onPath("chromedriver").or(() -> Optional.ofNullable(System.getenv("CHROMEWEBDRIVER"))
                .map(dir -> Path.of(dir, "chromedriver")).filter(Files::isExecutable));
        assumeTrue(browser.isPresent() && driver.isPresent(),
                () -> "No Chromium or chromedriver on the PATH (browser " + browser.map(Path::toString).orElse("missing")
                        + ", driver " + driver.map(Path::toString).orElse("missing")
                        + "): install Debian's chromium and chromium-driver (.ci/run does) to run the browser test");
        ChromeOptions options = new ChromeOptions()
                .setBinary(browser.get().toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--user-data-dir=" + profile.toAbsolutePath(),
                        "--window-size=" + width + "," + height, "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60))
                .build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return chrome;
    }

    /** A fresh profile directory under {@code target/}. */
    static Path newProfile() {
        try {
            return Files.createTempDirectory(Path.of("target"), "chromium-profile-");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Path> onPath(String... names) {
        List<Path> directories = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank()).map(Path::of).toList();
        for (String name : names) {
            for (Path directory : directories) {
                Path candidate = directory.resolve(name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
