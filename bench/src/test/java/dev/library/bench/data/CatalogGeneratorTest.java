package dev.library.bench.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CatalogGeneratorTest {
  private final CatalogGenerator generator = new CatalogGenerator(42);

  @Test
  void theSameSeedMakesTheSameCatalogInAnyOrder() {
    CatalogGenerator.BookEntry late = generator.book(99_999);
    generator.book(3);
    assertThat(new CatalogGenerator(42).book(99_999)).isEqualTo(late);
    assertThat(new CatalogGenerator(7).book(99_999).title()).isNotNull();
  }

  @Test
  void booksReferToAuthorsAndCategoriesThatTheCatalogHasAtThatSize() {
    Set<UUID> authors = new HashSet<>();
    for (int i = 0; i < CatalogGenerator.authorsFor(1000); i++) {
      authors.add(generator.author(i).id());
    }
    Set<UUID> categories = new HashSet<>();
    for (int i = 0; i < CatalogGenerator.CATEGORIES; i++) {
      categories.add(generator.category(i).id());
    }
    for (int i = 0; i < 1000; i++) {
      CatalogGenerator.BookEntry book = generator.book(i);
      assertThat(authors).contains(book.authorId());
      assertThat(categories).containsAll(book.categoryIds());
      assertThat(book.categoryIds()).doesNotHaveDuplicates().hasSizeBetween(1, 3);
      assertThat(book.totalCopies()).isEqualTo(CatalogGenerator.copiesOf(i));
    }
  }

  @Test
  void authorNamesInBooksMatchTheAuthorsAndCategoryNamesAreUnique() {
    CatalogGenerator.BookEntry book = generator.book(12_345);
    int author = -1;
    for (int i = 0; i < CatalogGenerator.authorsFor(12_346); i++) {
      if (generator.author(i).id().equals(book.authorId())) {
        author = i;
      }
    }
    assertThat(generator.author(author).name()).isEqualTo(book.authorName());
    Set<String> names = new HashSet<>();
    for (int i = 0; i < CatalogGenerator.CATEGORIES; i++) {
      assertThat(names.add(generator.category(i).name().toLowerCase())).isTrue();
    }
  }

  @Test
  void isbnsAreValidAndDistinct() {
    assertThat(Isbn13.of(0)).isEqualTo("9780000000002");
    assertThat(Isbn13.of(1)).isNotEqualTo(Isbn13.of(2)).hasSize(13).startsWith("978");
  }
}
