package dev.library.book;

import dev.library.book.api.BookGrpcService;
import dev.library.book.client.AuthorDirectory;
import dev.library.book.client.CategoryDirectory;
import dev.library.book.client.MemberDirectory;
import dev.library.book.core.AuthorNames;
import dev.library.book.core.BookSearch;
import dev.library.book.core.Catalog;
import dev.library.book.core.Circulation;
import dev.library.book.core.CirculationHistory;
import dev.library.book.core.CirculationRules;
import dev.library.book.core.HoldQueue;
import dev.library.book.core.Holds;
import dev.library.book.core.Recommendations;
import dev.library.book.outbox.CategoryLinkRelay;
import dev.library.book.outbox.OutboxBacklog;
import dev.library.book.sweep.CirculationSweep;
import dev.library.runtime.module.ModuleContext;
import dev.library.runtime.module.ServiceModule;
import io.grpc.BindableService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The book service: the catalog of books, their copies and loans. */
public final class BookModule implements ServiceModule {
  @Override
  public String name() {
    return "book";
  }

  @Override
  public int defaultGrpcPort() {
    return 50054;
  }

  @Override
  public List<BindableService> start(ModuleContext context) {
    BookSettings settings = context.settings(BookSettings.class);
    Clock clock = Clock.systemUTC();
    AuthorDirectory authors = new AuthorDirectory(context.channels());
    CategoryDirectory categories = new CategoryDirectory(context.channels());
    CategoryLinkRelay relay =
        new CategoryLinkRelay(
            context.jdbi(),
            categories,
            toJava(settings.getOutboxPollInterval()),
            toJava(settings.getOutboxMaxBackoff()),
            toJava(settings.getOutboxClaimLease()),
            clock);
    AuthorNames authorNames = new AuthorNames(context.jdbi());
    CirculationRules rules =
        new CirculationRules(
            toJava(settings.getLoanPeriod()),
            settings.getMaxActiveLoans(),
            settings.getMaxRenewals(),
            settings.getMaxHolds(),
            toJava(settings.getPickupWindow()),
            settings.isOverdueBlock(),
            toJava(settings.getOverdueGrace()),
            toJava(settings.getRenewalOverdueLimit()),
            toJava(settings.getHistoryRetention()));
    HoldQueue queue = new HoldQueue(rules.pickupWindow());
    MemberDirectory members = new MemberDirectory(context.channels());
    CirculationSweep sweep =
        new CirculationSweep(
            context.jdbi(),
            queue,
            toJava(settings.getCirculationSweepInterval()),
            rules.historyRetention(),
            clock);
    context.environment().lifecycle().manage(sweep);
    context.environment().lifecycle().manage(relay);
    new OutboxBacklog(context.jdbi(), clock).register(context.meters());
    context.environment().lifecycle().manage(authorNames);
    return List.of(
        BookGrpcService.create(
            new Catalog(context.jdbi(), authors, categories, relay, queue, clock),
            new BookSearch(context.jdbi(), authors, context.pageTokens()),
            new Circulation(context.jdbi(), members, rules, queue, clock, context.pageTokens()),
            new Holds(context.jdbi(), members, rules, queue, clock, context.pageTokens()),
            new CirculationHistory(context.jdbi(), context.pageTokens()),
            new Recommendations(context.jdbi()),
            authors,
            categories,
            authorNames,
            clock));
  }

  private static Duration toJava(io.dropwizard.util.Duration duration) {
    return Duration.ofMillis(duration.toMilliseconds());
  }
}
