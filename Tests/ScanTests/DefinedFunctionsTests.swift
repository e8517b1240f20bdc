import Scan
import Testing

/// The cheap definition finder tier 1 uses for files the prefilter left out.
@Suite struct DefinedFunctionsTests {
  @Test func kernelStyleDefinitionsAreFound() {
    let source = """
      static int xe_pm_runtime_get(struct xe_device *xe)
      {
      \treturn pm_runtime_get_sync(xe->drm.dev);
      }

      void __init demo_init(void)
      {
      }

      static void demo_unlock(struct demo *d)
      \t__releases(&d->lock)
      {
      \tspin_unlock(&d->lock);
      }

      int (*demo_table)(void) = NULL;
      struct demo_ops ops =
      {
      \t.x = 1,
      };
      static int one_line(void) { return 1; }
      int multi(int a,
      \t  int b)
      {
      \tif (a)
      {
      \t}
      \treturn b;
      }
      """
    #expect(
      DefinedFunctions.names(in: Array(source.utf8))
        == ["xe_pm_runtime_get", "demo_init", "demo_unlock", "multi"])
  }

  @Test func emptyAndOddInputsGiveNothing() {
    #expect(DefinedFunctions.names(in: []).isEmpty)
    #expect(DefinedFunctions.names(in: Array("{".utf8)).isEmpty)
    #expect(DefinedFunctions.names(in: Array("\n{\n}\n(\n{".utf8)).isEmpty)
    #expect(DefinedFunctions.names(in: Array(")\n{".utf8)).isEmpty)
  }
}
