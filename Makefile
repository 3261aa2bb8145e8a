# The two commands of README.md:
#   make demo   the local demo: real control plane, the approver, machines joining
#   make test   everything CI runs: deps, build, unit tests (plain and ASan/UBSan), e2e
# Both install what they need through scripts/install-deps.sh and test/cluster/build.

BUILD      ?= build
BUILD_ASAN ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_GEN  := -G Ninja

.PHONY: all deps build build-asan cluster-binaries test test-unit test-asan test-e2e demo \
        format format-check fuzz-smoke clean

all: build

deps:
	scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps
	cmake -S . -B $(BUILD_ASAN) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DNCA_SANITIZE=ON
	cmake --build $(BUILD_ASAN) -j $(JOBS)

cluster-binaries:
	test/cluster/build

format:
	scripts/format.sh

format-check: deps
	scripts/format.sh --check

test-asan: build-asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(BUILD_ASAN) -L unit --output-on-failure -j $(JOBS)

fuzz-smoke: deps
	@if [ -x scripts/fuzz-smoke.sh ]; then scripts/fuzz-smoke.sh 30; fi

# The whole suite. The final ctest run covers unit and e2e tests together, so its summary
# line counts everything.
test: format-check test-asan fuzz-smoke build cluster-binaries
	ctest --test-dir $(BUILD) --output-on-failure -LE "quarantine|slow"

demo: build cluster-binaries
	scripts/demo.sh

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) build-fuzz
