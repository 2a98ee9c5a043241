// The content of generated catalog rows: names, card data, and what the indexer would derive
// from the card and the files (tags, pipeline tag, library, config summary). Private to the
// catalog generator (hub/catalog_generator).
#pragma once

#include <string>
#include <vector>

#include "hub/catalog_generator.h"
#include "hub/catalog_generator_detail.h"

namespace wharf::hub::catalog_rows {

struct Made {
  std::string name;   // the wanted name; the generator makes it unique
  double appeal = 1;  // scales the counters: scratch repos ("test", "my-model") get few
};

class RowMaker {
 public:
  // Draws from `rng`, which must outlive the maker.
  explicit RowMaker(catalog_detail::Rng& rng);
  ~RowMaker();
  RowMaker(const RowMaker&) = delete;
  RowMaker& operator=(const RowMaker&) = delete;

  // Fills card_data, tags, pipeline_tag, library_name, config and sdk of `row` for a repo of
  // `type`, and `source` with the files and config.json they come from.
  Made make(RepoType type, storage::RepoRow& row, GeneratedSource& source);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wharf::hub::catalog_rows
