//! No library code: the tests in `tests/sdk.rs` drive Cognate through the official Rust SDK.
