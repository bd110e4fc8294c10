package dev.strangler.control.dashboard;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;

/**
 * The system's Chromium (Debian {@code chromium} + {@code chromium-driver}) driven by Selenium: no
 * browser download, no network. {@link #available()} says whether this machine has it.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /**
     * Where the screenshots are written: target/screenshots by default, so a test run leaves the
     * working tree clean; {@code -Dstrangler.screenshots=../docs/screenshots} refreshes the ones the
     * README shows (paths from the module's directory).
     */
    static final Path SCREENSHOTS = Path.of(System.getProperty("strangler.screenshots", "target/screenshots"));
    private static final Duration WAIT = Duration.ofSeconds(15);

    final WebDriver driver;
    private final Path profile;

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    static String unavailableMessage() {
        return "no Chromium at " + CHROMIUM + " with its driver at " + CHROMEDRIVER
                + ": the dashboard's browser tests are skipped (apt-get install -y chromium chromium-driver; .ci/run does)";
    }

    Browser() throws IOException {
        profile = Files.createTempDirectory("strangler-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    void open(String url) {
        driver.get(url);
    }

    /** Waits (up to a bound, polling the page) until {@code condition} gives something other than null or false. */
    <T> T until(Function<WebDriver, T> condition) {
        try {
            // The pages re-draw their data on every poll: an element found a moment ago may be gone.
            return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the page never showed what was expected; it shows:\n" + text(By.tagName("body"))
                    + "\n(at " + driver.getCurrentUrl() + ")", e);
        }
    }

    WebElement visible(By by) {
        return until(d -> d.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    /** The text of the first element found; empty when there is none (or it was just re-drawn). */
    String text(By by) {
        try {
            return driver.findElements(by).stream().findFirst().map(WebElement::getText).orElse("");
        } catch (StaleElementReferenceException redrawn) {
            return "";
        }
    }

    Object script(String js, Object... args) {
        return ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(js, args);
    }

    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
