//! Use cases of the users aggregate.
