"""cirque_fuzz_target: a libFuzzer target that is also a corpus replay test.

Built with --config=fuzz (clang, tools/fuzz), the target is a libFuzzer
binary. In every other build (gcc, `bazel test //...`), the same
LLVMFuzzerTestOneInput is linked with replay_main.cc, and a test replays the
target's corpus in fuzz/corpus/<name>/ (seeds and every input a fuzzing run
found a crash with), so a fixed crash stays fixed.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_test")

def cirque_fuzz_target(name, srcs, deps, testonly = False):
    fuzzing = "//fuzz:fuzzing"
    cc_binary(
        name = name,
        srcs = srcs,
        testonly = testonly,
        linkopts = select({
            fuzzing: ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        deps = deps + select({
            fuzzing: [],
            "//conditions:default": ["//fuzz:replay_main"],
        }),
    )
    native.filegroup(
        name = name + "_corpus",
        srcs = native.glob(["corpus/%s/**" % name]),
    )
    cc_test(
        name = name + "_corpus_test",
        size = "small",
        srcs = srcs,
        args = ["$(locations :%s_corpus)" % name],
        data = [":%s_corpus" % name],
        deps = deps + ["//fuzz:replay_main"],
    )
