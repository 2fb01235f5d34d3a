package dev.library.bench.data;

import static dev.library.bench.data.Vocabulary.ADJECTIVES;
import static dev.library.bench.data.Vocabulary.FIRST_NAMES;
import static dev.library.bench.data.Vocabulary.GENRES;
import static dev.library.bench.data.Vocabulary.GENRE_QUALIFIERS;
import static dev.library.bench.data.Vocabulary.LAST_NAMES;
import static dev.library.bench.data.Vocabulary.NOUNS;
import static dev.library.bench.data.Vocabulary.PLACES;
import static dev.library.bench.data.Vocabulary.PUBLISHER_SUFFIXES;
import static dev.library.bench.data.Vocabulary.pick;
import static dev.library.bench.data.Vocabulary.skewed;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A catalog made up from a fixed seed. Every entry is a pure function of (seed, index), so the
 * catalog can grow in steps (10k, then 100k, then 1M) and a run with the same seed loads the same
 * books; ids come from {@link Ids}, so SQL can name them too.
 */
public final class CatalogGenerator {
  public static final int CATEGORIES = 200;
  private static final int PUBLISHERS = 400;

  private final long seed;

  public CatalogGenerator(long seed) {
    this.seed = seed;
  }

  public record AuthorEntry(UUID id, String name, String biography, LocalDate birthDate) {}

  public record CategoryEntry(UUID id, String name, String description) {}

  public record BookEntry(
      UUID id,
      String title,
      UUID authorId,
      String authorName,
      String isbn,
      int publicationYear,
      String publisher,
      String description,
      int totalCopies,
      List<UUID> categoryIds) {}

  /** About twenty books per author, as in a public library; at least 100 authors. */
  public static int authorsFor(int books) {
    return Math.max(100, books / 20);
  }

  /** Copies of book {@code index}: 1 to 5, so every fifth book (index % 5 == 4) has 5. */
  public static int copiesOf(int index) {
    return 1 + index % 5;
  }

  public AuthorEntry author(int index) {
    SplittableRandom random = random("author", index);
    String first = pick(FIRST_NAMES, random);
    String last = pick(LAST_NAMES, random);
    String name = first + " " + last;
    String biography =
        name + " was born in " + pick(PLACES, random) + " and writes about "
            + pick(NOUNS, random).toLowerCase() + "s and " + pick(NOUNS, random).toLowerCase() + "s.";
    LocalDate born = LocalDate.of(1890, 1, 1).plusDays(random.nextInt(110 * 365));
    return new AuthorEntry(Ids.author(index), name, biography, born);
  }

  public CategoryEntry category(int index) {
    String name =
        GENRE_QUALIFIERS.get(index / GENRES.size() % GENRE_QUALIFIERS.size())
            + GENRES.get(index % GENRES.size());
    return new CategoryEntry(Ids.category(index), name, "Books shelved under " + name + ".");
  }

  /** The category used by the category-filter queries: popular, but far from all books. */
  public static int sampleCategoryIndex() {
    return 12;
  }

  /** A word of titles for the title_query searches: in roughly one title in fifty. */
  public static String sampleTitleWord() {
    return "garden";
  }

  /**
   * {@link #sampleTitleWord()} with a letter left out: no word of the vocabulary, but close in
   * spelling (pg_trgm word similarity about 0.67, above the default 0.6).
   */
  public static String sampleMisspeltTitleWord() {
    return "gardn";
  }

  public BookEntry book(int index) {
    SplittableRandom random = random("book", index);
    int authorIndex = random.nextInt(authorsFor(index + 1));
    AuthorEntry author = author(authorIndex);
    int year = 1850 + (int) (175 * Math.sqrt(random.nextDouble()));
    String publisher = publisher(skewed(PUBLISHERS, random));
    List<UUID> categories = new ArrayList<>();
    int wanted = 1 + random.nextInt(3);
    while (categories.size() < wanted) {
      UUID category = Ids.category(skewed(CATEGORIES, random));
      if (!categories.contains(category)) {
        categories.add(category);
      }
    }
    String description =
        "A " + pick(ADJECTIVES, random).toLowerCase() + " story of a "
            + pick(NOUNS, random).toLowerCase() + " and a " + pick(NOUNS, random).toLowerCase()
            + ", set in " + pick(PLACES, random) + ".";
    return new BookEntry(
        Ids.book(index),
        title(random),
        author.id(),
        author.name(),
        Isbn13.of(index),
        year,
        publisher,
        description,
        copiesOf(index),
        categories);
  }

  private String publisher(int index) {
    SplittableRandom random = random("publisher", index);
    return pick(LAST_NAMES, random) + " " + pick(PUBLISHER_SUFFIXES, random);
  }

  private static String title(SplittableRandom random) {
    return switch (random.nextInt(8)) {
      case 0 -> "The " + pick(ADJECTIVES, random) + " " + pick(NOUNS, random);
      case 1 -> "The " + pick(NOUNS, random) + " of " + pick(PLACES, random);
      case 2 -> "The " + pick(NOUNS, random) + " of the " + pick(ADJECTIVES, random) + " " + pick(NOUNS, random);
      case 3 -> "A " + pick(ADJECTIVES, random) + " " + pick(NOUNS, random) + " in " + pick(PLACES, random);
      case 4 -> pick(FIRST_NAMES, random) + "'s " + pick(NOUNS, random);
      case 5 -> pick(ADJECTIVES, random) + " " + pick(NOUNS, random) + "s";
      case 6 -> "Beyond the " + pick(ADJECTIVES, random) + " " + pick(NOUNS, random);
      default -> "Letters from " + pick(PLACES, random);
    };
  }

  private SplittableRandom random(String kind, int index) {
    // One independent stream per entry: entries do not depend on the order they are made in.
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (kind.hashCode() * 31L + index));
  }
}
