package io.nostos.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** Encodes a {@link Record} as its JSON text. Values round-trip because records are normalised. */
public final class RecordCoder extends CustomCoder<Record> {
  private static final RecordCoder INSTANCE = new RecordCoder();
  private static final StringUtf8Coder TEXT = StringUtf8Coder.of();

  private RecordCoder() {}

  public static RecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Record value, OutputStream out) throws IOException {
    TEXT.encode(Json.write(value.asMap()), out);
  }

  @Override
  public Record decode(InputStream in) throws IOException {
    return Json.readRecord(TEXT.decode(in));
  }
}
