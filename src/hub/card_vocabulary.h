// The fixed vocabularies a card's metadata is checked against: license identifiers,
// pipeline tags (tasks), library names and language codes, as the Hub knows them.
// Pure lookups over sorted constant tables; safe from any thread.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace wharf::hub {

// License identifiers accepted in `license:` (the Hub's licenses page), "other" included.
// Case-sensitive: the Hub's identifiers are lowercase.
bool is_known_license(std::string_view id);
std::span<const std::string_view> known_licenses();  // sorted

// Pipeline tags (task types) accepted in `pipeline_tag:` and `task_categories:`.
bool is_known_pipeline_tag(std::string_view tag);
std::span<const std::string_view> known_pipeline_tags();  // sorted

// Names of modelling libraries the Hub knows for `library_name:`. The Hub accepts other
// names too, so this is for display and catalogues, not for rejecting a card.
bool is_known_library(std::string_view name);
std::span<const std::string_view> known_libraries();  // sorted

// True for a two-letter ISO 639-1 code (lowercase).
bool is_iso639_1(std::string_view code);

// A card's language value in its canonical form, or nullopt when it is not a language code.
// Accepted: an ISO 639-1 code, any three-letter code (ISO 639-2/3), either followed by
// BCP 47 subtags ("en-US", "zh-Hans", "es-419", "sr-Latn-RS"), and "multilingual".
// Case is normalised: language lowercase, script Titlecase, region uppercase ("EN-us" ->
// "en-US"). Surrounding whitespace is ignored; "_" is not a separator.
std::optional<std::string> normalize_language(std::string_view code);

}  // namespace wharf::hub
