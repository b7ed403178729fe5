"""From feeds, pages, seeds and archives to stored, extracted articles."""
