package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.core.SpindleBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Task attempts, submits and HTTP requests each run on a virtual thread of their own, so Jackson's
 * default per-thread buffer pool never reuses a buffer there. Spindle's JSON takes its buffers from
 * the one pool shared by all threads.
 */
class JsonBufferPoolTest {
  @Test
  void spindlesDefaultMapperTakesItsBuffersFromThePoolSharedByAllThreads() {
    assertThat(SpindleBuilder.defaultMapper().getFactory()._getRecyclerPool())
        .isSameAs(JsonRecyclerPools.sharedBoundedPool());
    assertThat(SpindleBuilder.sharedBufferFactory()._getRecyclerPool())
        .isSameAs(JsonRecyclerPools.sharedBoundedPool());
  }

  @Test
  void aBufferReleasedOnOneVirtualThreadIsReusedOnTheNext() throws Exception {
    var pool = JsonRecyclerPools.sharedBoundedPool();
    var json = SpindleBuilder.defaultMapper();
    for (int i = 0; i < 2; i++) {
      Thread.ofVirtual().start(() -> writeQuietly(json)).join();
    }
    int pooled = pool.pooledCount();
    Thread.ofVirtual().start(() -> writeQuietly(json)).join();
    assertThat(pooled).isPositive();
    assertThat(pool.pooledCount()).as("no new buffers were pooled").isEqualTo(pooled);
  }

  private static void writeQuietly(ObjectMapper json) {
    try {
      json.writeValueAsString(Map.of("n", 1));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
