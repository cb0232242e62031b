package io.nostos.transforms;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Encodes a {@link Record} in a compact binary form: a tag byte per value (null, text, whole
 * number, double, true, false, object, list), then the value. Records are normalised, so these
 * types are all a record can hold and every value round-trips exactly (a whole double stays a
 * double). Binary because records cross every shuffle: JSON text here cost a third of a load's CPU.
 */
public final class RecordCoder extends CustomCoder<Record> {
  private static final RecordCoder INSTANCE = new RecordCoder();
  private static final int NULL = 0;
  private static final int TEXT = 1;
  private static final int LONG = 2;
  private static final int DOUBLE = 3;
  private static final int TRUE = 4;
  private static final int FALSE = 5;
  private static final int OBJECT = 6;
  private static final int LIST = 7;

  private RecordCoder() {}

  public static RecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Record value, OutputStream out) throws IOException {
    writeMap(value.asMap(), new DataOutputStream(out));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Record decode(InputStream in) throws IOException {
    return Record.of((Map<String, Object>) readMap(new DataInputStream(in)));
  }

  private static void writeMap(Map<String, Object> m, DataOutputStream out) throws IOException {
    VarInt.encode(m.size(), out);
    for (Map.Entry<String, Object> e : m.entrySet()) {
      writeText(e.getKey(), out);
      write(e.getValue(), out);
    }
  }

  @SuppressWarnings("unchecked")
  private static void write(Object v, DataOutputStream out) throws IOException {
    if (v == null) {
      out.writeByte(NULL);
    } else if (v instanceof String) {
      out.writeByte(TEXT);
      writeText((String) v, out);
    } else if (v instanceof Long) {
      out.writeByte(LONG);
      VarInt.encode((Long) v, out);
    } else if (v instanceof Double) {
      out.writeByte(DOUBLE);
      out.writeDouble((Double) v);
    } else if (v instanceof Boolean) {
      out.writeByte((Boolean) v ? TRUE : FALSE);
    } else if (v instanceof Map) {
      out.writeByte(OBJECT);
      writeMap((Map<String, Object>) v, out);
    } else if (v instanceof List) {
      List<Object> list = (List<Object>) v;
      out.writeByte(LIST);
      VarInt.encode(list.size(), out);
      for (Object o : list) {
        write(o, out);
      }
    } else {
      throw new CoderException("a record holds a " + v.getClass().getName() + "; records hold normalised values only");
    }
  }

  private static void writeText(String s, DataOutputStream out) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    VarInt.encode(b.length, out);
    out.write(b);
  }

  private static Map<String, Object> readMap(DataInputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    Map<String, Object> m = new LinkedHashMap<>(Math.max(4, n * 2));
    for (int i = 0; i < n; i++) {
      m.put(readText(in), read(in));
    }
    return m;
  }

  private static Object read(DataInputStream in) throws IOException {
    int tag = in.readUnsignedByte();
    switch (tag) {
      case NULL:
        return null;
      case TEXT:
        return readText(in);
      case LONG:
        return VarInt.decodeLong(in);
      case DOUBLE:
        return in.readDouble();
      case TRUE:
        return Boolean.TRUE;
      case FALSE:
        return Boolean.FALSE;
      case OBJECT:
        return readMap(in);
      case LIST:
        int n = VarInt.decodeInt(in);
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(read(in));
        }
        return list;
      default:
        throw new CoderException("unknown value tag " + tag + " in an encoded record");
    }
  }

  private static String readText(DataInputStream in) throws IOException {
    byte[] b = new byte[VarInt.decodeInt(in)];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
