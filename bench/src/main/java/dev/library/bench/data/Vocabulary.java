package dev.library.bench.data;

import java.util.List;
import java.util.SplittableRandom;

/** The words catalog entries are made of: English-looking titles, names, genres, publishers. */
final class Vocabulary {
  static final List<String> ADJECTIVES =
      List.of(
          "Silent", "Hidden", "Broken", "Golden", "Forgotten", "Burning", "Distant", "Crimson",
          "Quiet", "Endless", "Secret", "Wild", "Bitter", "Gentle", "Frozen", "Hollow", "Lost",
          "Northern", "Painted", "Restless", "Savage", "Shining", "Sleeping", "Stolen", "Summer",
          "Winter", "Wandering", "Invisible", "Ancient", "Little", "Dark", "Last", "Iron",
          "Glass", "Electric", "Velvet", "Salt", "Paper", "Midnight", "Emerald");
  static final List<String> NOUNS =
      List.of(
          "Garden", "River", "Kingdom", "Shadow", "Mirror", "Harbor", "Orchard", "Lighthouse",
          "Library", "Crown", "Forest", "Island", "Storm", "Letter", "Promise", "Winter",
          "Journey", "Dream", "Tower", "Bridge", "Voyage", "Witness", "Archive", "Compass",
          "Lantern", "Serpent", "Cartographer", "Daughter", "Engine", "Orphan", "Tide", "Ember",
          "Mountain", "Station", "Choir", "Atlas", "Feather", "Machine", "Harvest", "Alchemist",
          "Signal", "Ocean", "Wolf", "Sparrow", "Cathedral", "Violin", "Inheritance", "Empire",
          "Equation", "Labyrinth", "Passage", "Ghost", "Clockmaker", "Frontier", "Market",
          "Vineyard", "Telescope", "Monastery", "Rebellion", "Silence");
  static final List<String> PLACES =
      List.of(
          "Lisbon", "the North", "Samarkand", "the Valley", "Avalon", "Kyoto", "the Steppe",
          "Prague", "the Coast", "Alexandria", "the Moor", "Tangier", "the Delta", "Oslo",
          "the Islands", "Cordoba", "the Marsh", "Venice", "the Highlands", "Zanzibar");
  static final List<String> FIRST_NAMES =
      List.of(
          "Ada", "Alan", "Amara", "Anton", "Beatrix", "Camille", "Chidi", "Clara", "Dmitri",
          "Elena", "Emeka", "Farah", "Felix", "Greta", "Hana", "Hugo", "Ines", "Ivan", "Jonas",
          "Julia", "Kenji", "Lara", "Leon", "Lucia", "Malik", "Marta", "Mateo", "Mei", "Nadia",
          "Noor", "Oscar", "Pablo", "Priya", "Rafael", "Rosa", "Samir", "Sofia", "Tariq",
          "Tomas", "Ursula", "Vera", "Viktor", "Wen", "Yara", "Yusuf", "Zora", "Elif", "Henrik",
          "Ingrid", "Kofi", "Laila", "Mikhail", "Nia", "Olga", "Pedro", "Ravi", "Sara", "Teodor",
          "Ulla", "Wanda");
  static final List<String> LAST_NAMES =
      List.of(
          "Abernathy", "Adeyemi", "Almeida", "Andersson", "Baptiste", "Bauer", "Castillo",
          "Chen", "Costa", "Dubois", "Eriksen", "Fernandes", "Fischer", "Garcia", "Haddad",
          "Hansen", "Ibrahim", "Ivanova", "Jansen", "Kamau", "Kaur", "Kowalski", "Lambert",
          "Larsen", "Lindqvist", "Moreau", "Murphy", "Nakamura", "Novak", "Okafor", "Olsen",
          "Pereira", "Petrov", "Quinn", "Rahman", "Rossi", "Sato", "Schmidt", "Silva",
          "Sokolova", "Suzuki", "Tanaka", "Torres", "Varga", "Vogel", "Wagner", "Walsh", "Weber",
          "Yilmaz", "Zhang", "Horvat", "Mendes", "Nilsen", "Oduya", "Park", "Reyes", "Shah",
          "Takahashi", "Uddin", "Voss", "Whitfield", "Xu", "Young", "Ziegler", "Marsh", "Ellery",
          "Hale", "Kerr", "Lowell", "Ashby", "Blackwood", "Carver", "Dunmore", "Finch", "Grey",
          "Holloway", "Kendrick", "Lockhart", "Merriweather", "Pryce");
  static final List<String> GENRES =
      List.of(
          "Fiction", "Mystery", "Thriller", "Romance", "Science Fiction", "Fantasy", "Horror",
          "Historical Fiction", "Poetry", "Drama", "Biography", "Memoir", "History", "Philosophy",
          "Psychology", "Economics", "Politics", "Travel", "Cooking", "Art", "Music",
          "Photography", "Architecture", "Mathematics", "Physics", "Chemistry", "Biology",
          "Astronomy", "Medicine", "Computer Science", "Engineering", "Law", "Religion",
          "Mythology", "Education", "Sports", "Nature", "Gardening", "Crafts", "Comics",
          "Graphic Novels", "Children's Books", "Humor", "Essays", "Short Stories", "Crime",
          "Adventure", "War", "Westerns", "Languages");
  static final List<String> GENRE_QUALIFIERS =
      List.of("", "Classic ", "Contemporary ", "Young Adult ", "Illustrated ", "Translated ");
  static final List<String> PUBLISHER_SUFFIXES =
      List.of("Press", "Books", "& Sons", "Publishing", "House", "Editions", "and Company");

  private Vocabulary() {}

  static String pick(List<String> words, SplittableRandom random) {
    return words.get(random.nextInt(words.size()));
  }

  /** An index in [0, n) that favours small ones, as popularity does (a few genres hold most). */
  static int skewed(int n, SplittableRandom random) {
    double u = random.nextDouble();
    return Math.min(n - 1, (int) (n * u * u));
  }
}
