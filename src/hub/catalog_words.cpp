#include "hub/catalog_words.h"

#include <array>

namespace wharf::hub::catalog_words {
namespace {

using std::string_view_literals::operator""sv;

// Weights follow the Hub's listing by library and task, roughly: causal language models
// dominate, then text classifiers, speech, vision, diffusion and reinforcement learning.
constexpr std::array kFamilies = {
    ModelFamily{"Llama-2|Meta-Llama-3|Llama-3.1|Llama-3.2", "1B|3B|7B|8B|13B|70B", "meta-llama",
                "llama", "LlamaForCausalLM", "text-generation", "transformers",
                "llama2|llama3|llama3.1|llama3.2|other", "model.safetensors", 13, true},
    ModelFamily{"Qwen2|Qwen2.5|Qwen3|Qwen2.5-Coder", "0.5B|1.5B|3B|7B|14B|32B|72B", "Qwen", "qwen2",
                "Qwen2ForCausalLM", "text-generation", "transformers", "apache-2.0|other",
                "model.safetensors", 10, true},
    ModelFamily{"Mistral-7B|Mistral-Nemo-12B|Mixtral-8x7B|Ministral-8B", "", "mistralai", "mistral",
                "MistralForCausalLM", "text-generation", "transformers", "apache-2.0",
                "model.safetensors", 6, true},
    ModelFamily{"gemma|gemma-2|gemma-3", "2b|7b|9b|27b", "google", "gemma2", "Gemma2ForCausalLM",
                "text-generation", "transformers", "gemma", "model.safetensors", 4, true},
    ModelFamily{"Phi-3-mini|Phi-3.5-mini|phi-2|phi-4", "", "microsoft", "phi3", "Phi3ForCausalLM",
                "text-generation", "transformers", "mit", "model.safetensors", 2, true},
    ModelFamily{"DeepSeek-R1-Distill-Qwen|deepseek-coder", "1.5B|7B|14B|32B", "deepseek-ai",
                "qwen2", "Qwen2ForCausalLM", "text-generation", "transformers", "mit",
                "model.safetensors", 2, true},
    ModelFamily{"gpt2|distilgpt2|gpt2-medium|gpt2-large", "", "openai-community", "gpt2",
                "GPT2LMHeadModel", "text-generation", "transformers", "mit", "pytorch_model.bin", 3,
                false},
    ModelFamily{"bert-base-uncased|bert-base-cased|bert-large-uncased|bert-base-multilingual-cased",
                "", "google-bert", "bert", "BertForSequenceClassification", "text-classification",
                "transformers", "apache-2.0", "model.safetensors", 7, false},
    ModelFamily{"roberta-base|roberta-large|xlm-roberta-base|xlm-roberta-large", "", "FacebookAI",
                "roberta", "RobertaForSequenceClassification", "text-classification",
                "transformers", "mit", "model.safetensors", 4, false},
    ModelFamily{"distilbert-base-uncased|distilbert-base-cased", "", "distilbert", "distilbert",
                "DistilBertForSequenceClassification", "text-classification", "transformers",
                "apache-2.0", "model.safetensors", 5, false},
    ModelFamily{"deberta-v3-small|deberta-v3-base|deberta-v3-large", "", "microsoft", "deberta-v2",
                "DebertaV2ForTokenClassification", "token-classification", "transformers", "mit",
                "model.safetensors", 2, false},
    ModelFamily{"bert-base-NER|distilbert-NER|roberta-large-ner", "", "dslim", "bert",
                "BertForTokenClassification", "token-classification", "transformers", "mit",
                "model.safetensors", 1, false},
    ModelFamily{"t5-small|t5-base|flan-t5-base|flan-t5-large|mt5-small", "", "google-t5", "t5",
                "T5ForConditionalGeneration", "text2text-generation", "transformers", "apache-2.0",
                "model.safetensors", 3, false},
    ModelFamily{"bart-base|bart-large-cnn|mbart-large-50|pegasus-xsum", "", "facebook", "bart",
                "BartForConditionalGeneration", "summarization", "transformers", "mit",
                "model.safetensors", 1, false},
    ModelFamily{"opus-mt-en-de|opus-mt-en-fr|opus-mt-zh-en|nllb-200-distilled-600M", "",
                "Helsinki-NLP", "marian", "MarianMTModel", "translation", "transformers",
                "apache-2.0|cc-by-4.0", "pytorch_model.bin", 1, false},
    ModelFamily{"whisper-tiny|whisper-small|whisper-medium|whisper-large-v3", "", "openai",
                "whisper", "WhisperForConditionalGeneration", "automatic-speech-recognition",
                "transformers", "apache-2.0", "model.safetensors", 3, false},
    ModelFamily{"wav2vec2-base|wav2vec2-large-xlsr-53|wav2vec2-xls-r-300m", "", "facebook",
                "wav2vec2", "Wav2Vec2ForCTC", "automatic-speech-recognition", "transformers",
                "apache-2.0", "pytorch_model.bin", 2, false},
    ModelFamily{"vit-base-patch16-224|vit-large-patch16-224|swin-tiny-patch4-window7-224", "",
                "google", "vit", "ViTForImageClassification", "image-classification",
                "transformers", "apache-2.0", "model.safetensors", 2, false},
    ModelFamily{"detr-resnet-50|detr-resnet-101|yolos-tiny", "", "facebook", "detr",
                "DetrForObjectDetection", "object-detection", "transformers", "apache-2.0",
                "model.safetensors", 1, false},
    ModelFamily{"segformer-b0|segformer-b2|mit-b0", "", "nvidia", "segformer",
                "SegformerForSemanticSegmentation", "image-segmentation", "transformers", "other",
                "model.safetensors", 1, false},
    ModelFamily{"Qwen2-VL|Qwen2.5-VL|llava-1.5|idefics2", "2B|7B", "Qwen", "qwen2_vl",
                "Qwen2VLForConditionalGeneration", "image-text-to-text", "transformers",
                "apache-2.0", "model.safetensors", 1, false},
    ModelFamily{"all-MiniLM-L6-v2|all-mpnet-base-v2|paraphrase-multilingual-MiniLM-L12-v2|"
                "bge-small-en-v1.5|e5-base-v2",
                "", "sentence-transformers", "bert", "BertModel", "sentence-similarity",
                "sentence-transformers", "apache-2.0|mit", "model.safetensors", 4, false},
    ModelFamily{
        "stable-diffusion-v1-5|stable-diffusion-xl-base-1.0|sd-turbo|stable-diffusion-3-medium", "",
        "stabilityai", "", "", "text-to-image", "diffusers",
        "creativeml-openrail-m|openrail++|other", "unet/diffusion_pytorch_model.safetensors", 5,
        false},
    ModelFamily{"resnet50.a1_in1k|convnext_tiny.fb_in22k|efficientnet_b0.ra_in1k|"
                "vit_base_patch16_224.augreg_in21k",
                "", "timm", "", "", "image-classification", "timm", "apache-2.0",
                "model.safetensors", 1, false},
    ModelFamily{"setfit-paraphrase-mpnet-base-v2|setfit-all-MiniLM-L6-v2", "", "SetFit", "", "",
                "text-classification", "setfit", "apache-2.0", "model.safetensors", 1, false},
    ModelFamily{"speaker-diarization-3.1|segmentation-3.0|voice-activity-detection", "", "pyannote",
                "", "", "voice-activity-detection", "pyannote-audio", "mit", "pytorch_model.bin", 1,
                false},
};

constexpr std::array kSuffixes = {
    FinetuneSuffix{"finetuned-sst2", "stanfordnlp/sst2", "text-classification"},
    FinetuneSuffix{"finetuned-imdb", "stanfordnlp/imdb", "text-classification"},
    FinetuneSuffix{"finetuned-emotion", "dair-ai/emotion", "text-classification"},
    FinetuneSuffix{"sentiment", "", "text-classification"},
    FinetuneSuffix{"finetuned-mrpc", "nyu-mll/glue", "text-classification"},
    FinetuneSuffix{"finetuned-ner", "eriktks/conll2003", "token-classification"},
    FinetuneSuffix{"ner", "", "token-classification"},
    FinetuneSuffix{"finetuned-squad", "rajpurkar/squad", "question-answering"},
    FinetuneSuffix{"Instruct", "", "text-generation"},
    FinetuneSuffix{"instruct", "", "text-generation"},
    FinetuneSuffix{"chat", "", "text-generation"},
    FinetuneSuffix{"it", "", "text-generation"},
    FinetuneSuffix{"alpaca", "tatsu-lab/alpaca", "text-generation"},
    FinetuneSuffix{"ultrachat", "HuggingFaceH4/ultrachat_200k", "text-generation"},
    FinetuneSuffix{"OpenHermes", "teknium/OpenHermes-2.5", "text-generation"},
    FinetuneSuffix{"orca", "Open-Orca/OpenOrca", "text-generation"},
    FinetuneSuffix{"math", "openai/gsm8k", "text-generation"},
    FinetuneSuffix{"code", "", "text-generation"},
    FinetuneSuffix{"dpo", "", "text-generation"},
    FinetuneSuffix{"sft", "", "text-generation"},
    FinetuneSuffix{"grpo", "", "text-generation"},
    FinetuneSuffix{"common-voice", "mozilla-foundation/common_voice_11_0",
                   "automatic-speech-recognition"},
    FinetuneSuffix{"librispeech", "openslr/librispeech_asr", "automatic-speech-recognition"},
    FinetuneSuffix{"finetuned-cifar10", "uoft-cs/cifar10", "image-classification"},
    FinetuneSuffix{"beans", "AI-Lab-Makerere/beans", "image-classification"},
    FinetuneSuffix{"food101", "ethz/food101", "image-classification"},
    FinetuneSuffix{"finetuned-cnn", "abisee/cnn_dailymail", "summarization"},
    FinetuneSuffix{"xsum", "EdinburghNLP/xsum", "summarization"},
    FinetuneSuffix{"pokemon-lora", "", "text-to-image"},
    FinetuneSuffix{"dreambooth", "", "text-to-image"},
    FinetuneSuffix{"finetuned", "", ""},
    FinetuneSuffix{"ft", "", ""},
    FinetuneSuffix{"v2", "", ""},
    FinetuneSuffix{"test", "", ""},
    FinetuneSuffix{"custom", "", ""},
};

constexpr std::array kRlEnvironments = {
    "LunarLander-v2"sv,
    "CartPole-v1"sv,
    "SpaceInvadersNoFrameskip-v4"sv,
    "PandaReachDense-v3"sv,
    "Huggy"sv,
    "SnowballTarget"sv,
    "Pyramids"sv,
    "SoccerTwos"sv,
    "FrozenLake-v1-4x4-no_slippery"sv,
    "Taxi-v3"sv,
    "BreakoutNoFrameskip-v4"sv,
    "MountainCar-v0"sv,
};
constexpr std::array kRlAlgorithms = {"ppo"sv, "dqn"sv, "a2c"sv, "q"sv, "sac"sv, "Reinforce"sv};

constexpr std::array kScratch = {
    "test"sv,          "my-model"sv,         "model"sv,          "test-model"sv,
    "results"sv,       "output"sv,           "checkpoint-500"sv, "checkpoint-1000"sv,
    "test-trainer"sv,  "my_awesome_model"sv, "first-model"sv,    "demo"sv,
    "trained-model"sv, "new-model"sv,        "experiment-1"sv,   "outputs"sv,
    "lora-adapter"sv,  "final-model"sv,      "model-v1"sv,       "tmp"sv,
};

constexpr std::array kModelCardTags = {
    "generated_from_trainer"sv,
    "autotrain"sv,
    "medical"sv,
    "legal"sv,
    "finance"sv,
    "biology"sv,
    "chemistry"sv,
    "climate"sv,
    "art"sv,
    "music"sv,
    "code"sv,
    "education"sv,
    "not-for-all-audiences"sv,
    "pytorch_model_hub_mixin"sv,
};
constexpr std::array kLlmCardTags = {
    "trl"sv,
    "sft"sv,
    "dpo"sv,
    "unsloth"sv,
    "conversational"sv,
    "text-generation-inference"sv,
    "lora"sv,
    "grpo"sv,
    "reasoning"sv,
    "roleplay"sv,
    "llama-factory"sv,
    "axolotl"sv,
};
constexpr std::array kDatasetCardTags = {
    "synthetic"sv, "code"sv,      "math"sv,
    "medical"sv,   "legal"sv,     "finance"sv,
    "chemistry"sv, "biology"sv,   "instruction-finetuning"sv,
    "rlhf"sv,      "croissant"sv, "art"sv,
    "climate"sv,
};
constexpr std::array kSpaceCardTags = {
    "leaderboard"sv, "mcp-server"sv, "agent-course"sv, "chatbot"sv, "image-generation"sv, "rag"sv,
};

constexpr std::array kLanguages = {
    "en"sv, "zh"sv, "fr"sv, "de"sv, "es"sv, "ja"sv, "ko"sv, "ru"sv, "ar"sv, "pt"sv, "it"sv,
    "hi"sv, "vi"sv, "tr"sv, "nl"sv, "pl"sv, "id"sv, "fa"sv, "uk"sv, "sv"sv, "th"sv, "bn"sv,
    "he"sv, "cs"sv, "el"sv, "ro"sv, "fi"sv, "da"sv, "hu"sv, "ta"sv, "ur"sv, "sw"sv, "yo"sv,
};

constexpr std::array kTopics = {
    DatasetTopic{"alpaca", "text-generation"},
    DatasetTopic{"ultrachat", "text-generation"},
    DatasetTopic{"openhermes", "text-generation"},
    DatasetTopic{"orca-math", "text-generation"},
    DatasetTopic{"code-feedback", "text-generation"},
    DatasetTopic{"python-code", "text-generation"},
    DatasetTopic{"sql-queries", "text-generation"},
    DatasetTopic{"conversations", "text-generation"},
    DatasetTopic{"instructions", "text-generation"},
    DatasetTopic{"dpo-pairs", "text-generation"},
    DatasetTopic{"preference", "text-generation"},
    DatasetTopic{"math-problems", "text-generation"},
    DatasetTopic{"chat-logs", "text-generation"},
    DatasetTopic{"stories", "text-generation"},
    DatasetTopic{"squad", "question-answering"},
    DatasetTopic{"medical-qa", "question-answering"},
    DatasetTopic{"qa", "question-answering"},
    DatasetTopic{"imdb", "text-classification"},
    DatasetTopic{"reviews", "text-classification"},
    DatasetTopic{"tweets", "text-classification"},
    DatasetTopic{"sentiment", "text-classification"},
    DatasetTopic{"toxicity", "text-classification"},
    DatasetTopic{"news", "text-classification"},
    DatasetTopic{"ner", "token-classification"},
    DatasetTopic{"arxiv-abstracts", "summarization"},
    DatasetTopic{"summaries", "summarization"},
    DatasetTopic{"legal-docs", "summarization"},
    DatasetTopic{"translations", "translation"},
    DatasetTopic{"parallel-corpus", "translation"},
    DatasetTopic{"common-voice", "automatic-speech-recognition"},
    DatasetTopic{"speech", "automatic-speech-recognition"},
    DatasetTopic{"audio-clips", "audio-classification"},
    DatasetTopic{"cifar10", "image-classification"},
    DatasetTopic{"mnist", "image-classification"},
    DatasetTopic{"images", "image-classification"},
    DatasetTopic{"coco", "object-detection"},
    DatasetTopic{"captions", "image-to-text"},
    DatasetTopic{"diffusion-prompts", "text-to-image"},
    DatasetTopic{"wikipedia", "fill-mask"},
    DatasetTopic{"embeddings", "sentence-similarity"},
    DatasetTopic{"tabular", "tabular-classification"},
    DatasetTopic{"robot-episodes", "robotics"},
};

constexpr std::array kQualifiers = {
    "cleaned"sv, "filtered"sv, "v2"sv,       "10k"sv,       "200k"sv,      "sample"sv, "test"sv,
    "train"sv,   "dedup"sv,    "sharegpt"sv, "formatted"sv, "tokenized"sv, "chatml"sv, "mini"sv,
    "en"sv,      "ko"sv,       "fr"sv,       "de"sv,        "ja"sv,        "zh"sv,     "hi"sv,
};

constexpr std::array kSizeCategories = {
    "n<1K"sv,     "1K<n<10K"sv,   "10K<n<100K"sv, "100K<n<1M"sv,
    "1M<n<10M"sv, "10M<n<100M"sv, "100M<n<1B"sv,
};

constexpr std::array kSpaceWords = {
    "chat"sv,
    "demo"sv,
    "playground"sv,
    "arena"sv,
    "leaderboard"sv,
    "image-generator"sv,
    "voice-clone"sv,
    "text-to-speech"sv,
    "background-removal"sv,
    "pdf-chat"sv,
    "rag-demo"sv,
    "whisper-webui"sv,
    "translator"sv,
    "summarizer"sv,
    "object-detection"sv,
    "sentiment-analysis"sv,
    "portfolio"sv,
    "chatbot"sv,
    "face-swap"sv,
    "upscaler"sv,
    "first_agent_template"sv,
    "Final_Assignment_Template"sv,
    "gradio-app"sv,
    "streamlit-app"sv,
    "ocr"sv,
    "music-gen"sv,
    "video-generator"sv,
    "code-assistant"sv,
    "agent"sv,
    "space"sv,
};
constexpr std::array kSpaceEmojis = {"🚀"sv, "🤗"sv, "🔥"sv, "🐢"sv, "💬"sv,    "🎨"sv,
                                     "📚"sv, "🏆"sv,    "🌍"sv, "⚡"sv, "🦀"sv, "🧠"sv};
constexpr std::array kSpaceColors = {"red"sv,    "yellow"sv, "green"sv, "blue"sv,
                                     "indigo"sv, "purple"sv, "pink"sv,  "gray"sv};

constexpr std::array kFamous = {
    "mradermacher"sv,
    "RichardErkhov"sv,
    "bartowski"sv,
    "TheBloke"sv,
    "unsloth"sv,
    "lmstudio-community"sv,
    "QuantFactory"sv,
    "mlx-community"sv,
    "LoneStriker"sv,
    "open-llm-leaderboard"sv,
    "google"sv,
    "microsoft"sv,
    "facebook"sv,
    "meta-llama"sv,
    "Qwen"sv,
    "deepseek-ai"sv,
    "mistralai"sv,
    "stabilityai"sv,
    "nvidia"sv,
    "allenai"sv,
    "HuggingFaceH4"sv,
    "HuggingFaceTB"sv,
    "EleutherAI"sv,
    "bigscience"sv,
    "openai"sv,
    "sentence-transformers"sv,
    "BAAI"sv,
    "intfloat"sv,
    "Helsinki-NLP"sv,
    "timm"sv,
    "tiiuae"sv,
    "NousResearch"sv,
    "cognitivecomputations"sv,
    "teknium"sv,
    "openbmb"sv,
    "Salesforce"sv,
    "ibm-granite"sv,
    "amazon"sv,
    "apple"sv,
    "Intel"sv,
    "llm-jp"sv,
    "sberbank-ai"sv,
    "uer"sv,
    "ai-forever"sv,
    "kakaobrain"sv,
    "jinaai"sv,
    "nomic-ai"sv,
    "black-forest-labs"sv,
    "runwayml"sv,
    "CompVis"sv,
};

constexpr std::array kFirstNames = {
    "alex"sv,  "maria"sv, "john"sv,   "wei"sv,   "yuki"sv,  "ahmed"sv, "olga"sv, "pierre"sv,
    "anna"sv,  "raj"sv,   "priya"sv,  "min"sv,   "jose"sv,  "lucas"sv, "sara"sv, "david"sv,
    "li"sv,    "kenji"sv, "fatima"sv, "ivan"sv,  "chen"sv,  "emma"sv,  "omar"sv, "hana"sv,
    "tom"sv,   "nina"sv,  "arjun"sv,  "lena"sv,  "diego"sv, "sofia"sv, "kim"sv,  "paul"sv,
    "mehdi"sv, "amir"sv,  "julia"sv,  "felix"sv, "noah"sv,  "zoe"sv,   "hiro"sv, "leo"sv,
};
constexpr std::array kHandleWords = {
    "ai"sv,     "ml"sv,     "lab"sv,      "dev"sv,    "nlp"sv,    "data"sv,   "neural"sv,
    "deep"sv,   "vision"sv, "research"sv, "bot"sv,    "coder"sv,  "hacker"sv, "tech"sv,
    "smith"sv,  "zhang"sv,  "wang"sv,     "kumar"sv,  "garcia"sv, "muller"sv, "tanaka"sv,
    "silva"sv,  "nguyen"sv, "park"sv,     "ivanov"sv, "rossi"sv,  "khan"sv,   "lee"sv,
    "studio"sv, "labs"sv,   "works"sv,    "hub"sv,    "x"sv,      "pro"sv,    "learn"sv,
};

}  // namespace

std::span<const ModelFamily> model_families() { return kFamilies; }
std::span<const FinetuneSuffix> finetune_suffixes() { return kSuffixes; }
std::span<const std::string_view> rl_environments() { return kRlEnvironments; }
std::span<const std::string_view> rl_algorithms() { return kRlAlgorithms; }
std::span<const std::string_view> scratch_names() { return kScratch; }
std::span<const std::string_view> model_card_tags() { return kModelCardTags; }
std::span<const std::string_view> llm_card_tags() { return kLlmCardTags; }
std::span<const std::string_view> dataset_card_tags() { return kDatasetCardTags; }
std::span<const std::string_view> space_card_tags() { return kSpaceCardTags; }
std::span<const std::string_view> languages() { return kLanguages; }
std::span<const DatasetTopic> dataset_topics() { return kTopics; }
std::span<const std::string_view> dataset_qualifiers() { return kQualifiers; }
std::span<const std::string_view> size_categories() { return kSizeCategories; }
std::span<const std::string_view> space_words() { return kSpaceWords; }
std::span<const std::string_view> space_emojis() { return kSpaceEmojis; }
std::span<const std::string_view> space_colors() { return kSpaceColors; }
std::span<const std::string_view> famous_namespaces() { return kFamous; }
std::span<const std::string_view> first_names() { return kFirstNames; }
std::span<const std::string_view> handle_words() { return kHandleWords; }

}  // namespace wharf::hub::catalog_words
