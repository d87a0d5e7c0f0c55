package app

// CustomerAAD exports the associated data of a customer's encrypted record
// for the benchmarks that seed a book directly through the store.
var CustomerAAD = customerAAD
