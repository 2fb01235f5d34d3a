package dev.library.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.library.api.ApiDescriptorSet;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Swagger UI in a real browser (Debian's chromium, driven through Debian's chromedriver): the
 * page on the gateway's port lists the four services, takes a bearer token, and its "Try it out"
 * makes a live call through the gateway that succeeds.
 */
class SwaggerUiBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static LibrarySystem system;
  private static ChromeDriverService driverService;
  private static Path profile;
  private static WebDriver browser;

  private static final String NO_BROWSER =
      "needs /usr/bin/chromium and /usr/bin/chromedriver: "
          + "apt-get install chromium chromium-driver (.ci/run installs them)";

  private static boolean browserInstalled() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  @BeforeAll
  static void start() throws IOException {
    if (!browserInstalled()) {
      return; // each test is then skipped, naming the packages (an assumption here would hide it)
    }
    system = LibrarySystem.start("auth,author,gateway");

    // Debian's driver, so Selenium Manager never looks for (or downloads) one.
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    driverService =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    profile = Files.createTempDirectory("library-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile);
    browser = new ChromeDriver(driverService, options);
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) {
        browser.quit();
      }
      if (driverService != null) {
        driverService.stop();
      }
    } finally {
      if (system != null) {
        system.close();
      }
      deleteQuietly(profile);
    }
  }

  /** A picture of the page after each test, for when the UI did not do what was expected. */
  @BeforeEach
  void needsTheBrowser() {
    // CI installs the browser (.ci/run), so there a missing one is a failure, never a skip.
    if ("true".equals(System.getenv("CI"))) {
      assertThat(browserInstalled()).as(NO_BROWSER).isTrue();
    }
    assumeTrue(browserInstalled(), NO_BROWSER);
  }

  @AfterEach
  void screenshot(TestInfo test) {
    if (browser instanceof TakesScreenshot camera) {
      try {
        Path target = Path.of("target", "screenshots");
        Files.createDirectories(target);
        Path shot = camera.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(
            shot,
            target.resolve(test.getTestMethod().orElseThrow().getName() + ".png"),
            StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException | RuntimeException e) {
        System.err.println("no screenshot: " + e);
      }
    }
  }

  @Test
  void tryingListAuthorsWithATokenGivesALive200() {
    String token = new TestAccounts(system).librarian().token();
    WebDriverWait wait = new WebDriverWait(browser, WAIT);

    browser.get("http://localhost:" + system.gatewayPort() + "/docs/");

    // The page is rendered once its first document (auth) shows an operation.
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".opblock-summary")));

    By definitions = By.cssSelector(".download-url-wrapper select, select#select");
    Select selector = new Select(wait.until(ExpectedConditions.elementToBeClickable(definitions)));
    List<String> offered = selector.getOptions().stream().map(o -> o.getText().trim()).toList();
    assertThat(offered)
        .containsExactlyInAnyOrderElementsOf(ApiDescriptorSet.fromClasspath().libraryServiceNames());

    selector.selectByVisibleText("author");
    By listAuthors =
        By.cssSelector(".opblock.opblock-get .opblock-summary-path[data-path='/api/v1/authors']");
    wait.until(ExpectedConditions.elementToBeClickable(listAuthors));

    // Authorize with the librarian's token.
    browser.findElement(By.cssSelector(".auth-wrapper .btn.authorize")).click();
    WebElement tokenField =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".auth-container input")));
    tokenField.sendKeys(token);
    browser
        .findElement(By.cssSelector(".auth-container .auth-btn-wrapper .btn.modal-btn.authorize"))
        .click();
    // Once authorized, the dialog offers Logout instead.
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector(".auth-container .auth-btn-wrapper"), "Logout"));
    browser.findElement(By.cssSelector(".modal-ux .btn-done, .modal-ux .close-modal")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".modal-ux")));

    // ListAuthors: expand, Try it out, Execute.
    WebElement summary = wait.until(ExpectedConditions.elementToBeClickable(listAuthors));
    summary.click();
    // The operation's own block (id operations-<tag>-<operationId>) scopes what follows.
    String operation = "#" + operationOf(summary).getAttribute("id");
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(operation + " .try-out__btn")))
        .click();
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(operation + " .execute")))
        .click();

    By status =
        By.cssSelector(
            operation
                + " .responses-wrapper .live-responses-table .response .response-col_status");
    String shown = wait.until(ExpectedConditions.visibilityOfElementLocated(status)).getText();
    assertThat(shown.trim()).as("live response code shown in the UI").startsWith("200");
  }

  /** The operation block a summary element belongs to. */
  private static WebElement operationOf(WebElement summaryPart) {
    return summaryPart.findElement(
        By.xpath("./ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' opblock ')][1]"));
  }

  private static void deleteQuietly(Path directory) {
    if (directory == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temp directory; the OS cleans it eventually
    }
  }
}
