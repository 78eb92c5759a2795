namespace Commons.Inference.Gguf;

/// <summary>
/// Storage layout of ggml tensor types: how many elements one block holds and how many bytes the
/// block takes. Values follow ggml's type traits (gguf-py's GGML_QUANT_SIZES); types whose layout
/// was not confirmed (removed repacked types 31-33 and 36-38, and types newer than MXFP4) are
/// reported as unknown so that no valid file is called truncated because of a guess.
/// </summary>
internal static class GgmlTypeSizes
{
    // Elements in one k-quant super-block.
    private const int SuperBlock = 256;

    /// <summary>Looks up the block layout of a ggml type; false when the type is not known here.</summary>
    public static bool TryGet(uint ggmlType, out int blockSize, out int typeSize)
    {
        (blockSize, typeSize) = ggmlType switch
        {
            0 => (1, 4),                                                       // F32
            1 => (1, 2),                                                       // F16
            2 => (32, 2 + 16),                                                 // Q4_0
            3 => (32, 2 + 2 + 16),                                             // Q4_1
            6 => (32, 2 + 4 + 16),                                             // Q5_0
            7 => (32, 2 + 2 + 4 + 16),                                         // Q5_1
            8 => (32, 2 + 32),                                                 // Q8_0
            9 => (32, 4 + 4 + 32),                                             // Q8_1
            10 => (SuperBlock, 2 + 2 + (SuperBlock / 16) + (SuperBlock / 4)),  // Q2_K
            11 => (SuperBlock, 2 + (SuperBlock / 4) + (SuperBlock / 8) + 12),  // Q3_K
            12 => (SuperBlock, 2 + 2 + (SuperBlock / 2) + 12),                 // Q4_K
            13 => (SuperBlock, 2 + 2 + (SuperBlock / 2) + (SuperBlock / 8) + 12), // Q5_K
            14 => (SuperBlock, 2 + (SuperBlock / 2) + (SuperBlock / 4) + (SuperBlock / 16)), // Q6_K
            15 => (SuperBlock, 4 + SuperBlock + (SuperBlock / 8)),             // Q8_K
            16 => (SuperBlock, 2 + (SuperBlock / 4)),                          // IQ2_XXS
            17 => (SuperBlock, 2 + (SuperBlock / 4) + (SuperBlock / 32)),      // IQ2_XS
            18 => (SuperBlock, 2 + (SuperBlock / 4) + (SuperBlock / 8)),       // IQ3_XXS
            19 => (SuperBlock, 2 + (SuperBlock / 8) + (SuperBlock / 16)),      // IQ1_S
            20 => (32, 2 + 16),                                                // IQ4_NL
            21 => (SuperBlock, 2 + (SuperBlock / 4) + (SuperBlock / 8) + (SuperBlock / 32) + 4), // IQ3_S
            22 => (SuperBlock, 2 + (SuperBlock / 4) + (SuperBlock / 16)),      // IQ2_S
            23 => (SuperBlock, 2 + 2 + (SuperBlock / 2) + (SuperBlock / 64)),  // IQ4_XS
            24 => (1, 1),                                                      // I8
            25 => (1, 2),                                                      // I16
            26 => (1, 4),                                                      // I32
            27 => (1, 8),                                                      // I64
            28 => (1, 8),                                                      // F64
            29 => (SuperBlock, (SuperBlock / 8) + (SuperBlock / 16) + (SuperBlock / 32)), // IQ1_M
            30 => (1, 2),                                                      // BF16
            34 => (SuperBlock, 2 + (4 * 13)),                                  // TQ1_0
            35 => (SuperBlock, 2 + 64),                                        // TQ2_0
            39 => (32, 1 + 16),                                                // MXFP4
            _ => (0, 0),
        };
        return blockSize > 0;
    }
}
