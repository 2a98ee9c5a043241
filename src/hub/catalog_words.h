// The vocabulary of the catalog generator (hub/catalog_generator): model families as the Hub
// knows them, name parts, dataset topics, Space ideas, and the handles of well-known
// namespaces. Constant tables only; private to catalog_generator.cpp and its tests.
#pragma once

#include <span>
#include <string_view>

namespace wharf::hub::catalog_words {

// A family of models and what its members share. Lists are '|'-separated.
struct ModelFamily {
  std::string_view stems;         // base names, e.g. "Llama-3.1|Llama-3.2"
  std::string_view sizes;         // appended to a stem ("8B"); "" when the stem says it
  std::string_view org;           // the namespace of the base models
  std::string_view model_type;    // config.json's model_type; "" when there is no config.json
  std::string_view architecture;  // config.json's architectures[0]
  std::string_view pipeline_tag;  // "" when none
  std::string_view library;       // the card's library_name
  std::string_view licenses;      // the usual licenses of the family
  std::string_view weights_file;  // the main weights file of a member
  int weight;                     // relative share of the family among models
  bool causal_lm;                 // has quantized, adapter and merged derivatives
};

std::span<const ModelFamily> model_families();

// What a fine-tune's name says it was trained for: the name suffix, the dataset it names
// ("" when none) and the tasks it fits.
struct FinetuneSuffix {
  std::string_view suffix;
  std::string_view dataset;
  std::string_view pipeline_tag;  // "" fits any task
};
std::span<const FinetuneSuffix> finetune_suffixes();

// Reinforcement-learning environments ("ppo-LunarLander-v2").
std::span<const std::string_view> rl_environments();
std::span<const std::string_view> rl_algorithms();

// Names of repos made to try things out ("test", "my-model", "checkpoint-500").
std::span<const std::string_view> scratch_names();

// Tags card authors add themselves, by kind of repo.
std::span<const std::string_view> model_card_tags();
std::span<const std::string_view> llm_card_tags();
std::span<const std::string_view> dataset_card_tags();
std::span<const std::string_view> space_card_tags();

// Language codes, most used first.
std::span<const std::string_view> languages();

// A dataset topic: a name part and the task it serves.
struct DatasetTopic {
  std::string_view name;
  std::string_view task;  // a task category (pipeline tag)
};
std::span<const DatasetTopic> dataset_topics();
std::span<const std::string_view> dataset_qualifiers();
std::span<const std::string_view> size_categories();  // smallest first

// Space name parts and card fields.
std::span<const std::string_view> space_words();
std::span<const std::string_view> space_emojis();
std::span<const std::string_view> space_colors();

// Namespaces: the busiest accounts (most repos first), then parts of user handles.
std::span<const std::string_view> famous_namespaces();
std::span<const std::string_view> first_names();
std::span<const std::string_view> handle_words();

}  // namespace wharf::hub::catalog_words
