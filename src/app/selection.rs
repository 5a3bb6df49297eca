//! Use cases of the selection aggregate.
