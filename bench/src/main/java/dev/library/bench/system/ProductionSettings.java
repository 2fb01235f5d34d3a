package dev.library.bench.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.library.auth.AuthSettings;
import dev.library.book.BookSettings;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings where the test configuration (which LibrarySystem starts from) deliberately
 * differs from production, set back to production values: the bcrypt cost of the process
 * configuration (config/all.yml, after the same ${VAR:-default} substitution the server does;
 * 12 unless BCRYPT_COST says otherwise) instead of the tests' 4, and the Book service's default
 * circulation rules and outbox pace instead of the tests' fast polling.
 */
public record ProductionSettings(int bcryptCost, String bcryptCostSource) {

  public static ProductionSettings read(Path processConfig) {
    if (Files.isReadable(processConfig)) {
      try {
        String yaml = new EnvironmentVariableSubstitutor(false).replace(Files.readString(processConfig));
        JsonNode cost =
            new ObjectMapper(new YAMLFactory())
                .readTree(yaml)
                .at("/services/auth/settings/bcryptCost");
        if (cost.canConvertToInt() || cost.isTextual()) {
          return new ProductionSettings(Integer.parseInt(cost.asText().trim()), processConfig.toString());
        }
      } catch (IOException | NumberFormatException e) {
        throw new IllegalArgumentException("cannot read bcryptCost from " + processConfig, e);
      }
    }
    return new ProductionSettings(new AuthSettings().getBcryptCost(), "AuthSettings default");
  }

  /** LibrarySystem config overrides. */
  public Map<String, String> overrides() {
    BookSettings book = new BookSettings();
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("services.auth.settings.bcryptCost", Integer.toString(bcryptCost));
    overrides.put("services.book.settings.loanPeriod", book.getLoanPeriod().toMilliseconds() + "ms");
    overrides.put("services.book.settings.maxActiveLoans", Integer.toString(book.getMaxActiveLoans()));
    overrides.put(
        "services.book.settings.outboxPollInterval",
        book.getOutboxPollInterval().toMilliseconds() + "ms");
    overrides.put(
        "services.book.settings.outboxMaxBackoff", book.getOutboxMaxBackoff().toMilliseconds() + "ms");
    // Renew throughput renews the same loans for a whole window: a limit it could reach would
    // turn the measurement into refusals (see RenewLoanWorkload).
    overrides.put("services.book.settings.maxRenewals", "100");
    return overrides;
  }
}
