package io.nostos.pipelines;

import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Spreads a few costly elements (file splits, query partitions) over the workers before the step
 * that reads each. On Flink, the elements one worker emits go round the workers in turn
 * ({@link WorkerKeys}); elsewhere, as {@code Reshuffle.viaRandomKey()}. Either way the elements are
 * unchanged, and the step is a reshuffle: its output is committed before the next step reads it.
 */
final class Spread<T> extends PTransform<PCollection<T>, PCollection<T>> {
  /** One key per worker, or null to reshuffle on random keys. */
  private final List<Integer> workerKeys;

  private Spread(List<Integer> workerKeys) {
    this.workerKeys = workerKeys;
  }

  /** Spreads over the workers of {@code options}' runner. */
  static <T> Spread<T> evenly(PipelineOptions options) {
    return new Spread<>(WorkerKeys.perWorker(options));
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    if (workerKeys == null) {
      return input.apply("Reshuffle", Reshuffle.viaRandomKey());
    }
    return input.apply("KeyByWorker", ParDo.of(new RoundRobinFn<T>(workerKeys)))
        .setCoder(KvCoder.of(VarIntCoder.of(), input.getCoder()))
        .apply("Reshuffle", Reshuffle.of())
        .apply("Values", Values.create());
  }

  /** Keys the elements it sees with the workers' keys in turn. */
  private static final class RoundRobinFn<T> extends DoFn<T, KV<Integer, T>> {
    private final List<Integer> keys;
    private transient int next;

    RoundRobinFn(List<Integer> keys) {
      this.keys = keys;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<KV<Integer, T>> out) {
      out.output(KV.of(keys.get(next), element));
      next = (next + 1) % keys.size();
    }
  }
}
