# The two commands of the README: `make serve` and `make test`. Both install what they need.
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
PORT ?= 8080
DATA ?= ./wharf-data

.PHONY: deps build serve test unit-test asan-build compat-test bench clean format

deps:
	@bash scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

serve: build
	$(BUILD)/wharf serve --port $(PORT) --data-dir $(DATA)

# The test flavour: one build under AddressSanitizer and UndefinedBehaviorSanitizer serves the
# unit tests and the server that the compat and protocol tests drive (one compile, not two).
$(ASAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DWHARF_SANITIZE=ON

asan-build: deps $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)

unit-test: asan-build
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)

# Compat and protocol tests drive a real `wharf serve` with real clients (JS client, curl, git).
compat-test: asan-build
	@bash scripts/install-deps.sh --tests
	cd tests && WHARF_BIN=$(abspath $(ASAN_BUILD)/wharf) node --test --test-concurrency=2 compat/ protocol/ git/ web/

test: unit-test compat-test

bench: build
	cmake --build $(BUILD) -j $(JOBS) --target wharf_bench_access
	$(BUILD)/wharf_bench_access
	@bash bench/run.sh
	@bash bench/git.sh
	@bash bench/catalog.sh
	@bash bench/web.sh
	@bash bench/pr.sh

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
