// README front matter: the YAML block between the leading "---" lines of a card.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "util/error.h"

namespace wharf::hub {

struct YamlLimits {
  std::size_t max_depth = 64;       // nesting of mappings and sequences
  std::size_t max_nodes = 200000;   // scalars + collections, aliases counted as expanded
  std::size_t max_bytes = 1 << 20;  // input size
  // Bytes of scalars and keys, aliases counted as expanded: one long string aliased many
  // times costs few nodes but much memory.
  std::size_t max_scalar_bytes = 8 << 20;
};

// Splits a README into its YAML text (without the "---" lines) and whether it had a front
// matter block at all. A block opens with "---" as the first line and closes with the next
// line that is exactly "---" (trailing spaces and CRLF tolerated). An unclosed block means
// no front matter.
struct FrontMatterSplit {
  bool present = false;
  std::string yaml;
};
FrontMatterSplit split_front_matter(std::string_view readme);

// Parses YAML into JSON with libyaml: mappings become objects (keys as strings), sequences
// arrays, plain scalars are typed as YAML 1.2 core schema (null, true/false, ints, floats),
// quoted scalars stay strings. Aliases are expanded within the limits. Only one document.
// Errors: BadRequest with a message that includes the line for invalid YAML, a
// limit exceeded, or a top-level value that is not a mapping (when require_mapping).
Result<nlohmann::json> parse_yaml(std::string_view text, bool require_mapping = true,
                                  const YamlLimits& limits = {});

// The card data of a README: the parsed front matter object, or an empty object when the
// README has none. Errors as parse_yaml.
Result<nlohmann::json> parse_card_data(std::string_view readme);

}  // namespace wharf::hub
