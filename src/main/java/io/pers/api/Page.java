package io.pers.api;

import java.util.List;

/** One page of a list: the items, where it starts, and how many there are in all. */
public record Page<T>(List<T> items, int page, int size, long total) {}
